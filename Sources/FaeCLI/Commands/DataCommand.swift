import ArgumentParser

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Make and inspect training datasets.",
        subcommands: [DataGenerateCommand.self, DataInfoCommand.self])
}
