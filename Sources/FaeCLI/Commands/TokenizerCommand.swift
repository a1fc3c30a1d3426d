import ArgumentParser

struct TokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer", abstract: "Build the SentencePiece tokenizer: its training corpus and its model.",
        subcommands: [TokenizerTrainCommand.self, TokenizerCorpusCommand.self])
}
