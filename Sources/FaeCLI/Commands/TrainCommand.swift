import ArgumentParser

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train the model's stages (each resumable, with a learning curve in <out>/log.jsonl).",
        subcommands: [TrainEncoderCommand.self, TrainFAECommand.self, TrainPixelDecoderCommand.self, TrainGeneratorCommand.self])
}
