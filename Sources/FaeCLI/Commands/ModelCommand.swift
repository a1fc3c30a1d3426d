import ArgumentParser

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Manage model folders.",
        subcommands: [ModelPackCommand.self])
}
