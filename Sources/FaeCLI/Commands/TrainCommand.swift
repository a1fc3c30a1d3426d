import ArgumentParser

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train the model's parts.",
        subcommands: [TrainGeneratorCommand.self])
}
