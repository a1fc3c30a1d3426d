import ArgumentParser

struct QueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Manage a whole queue database.", subcommands: [QueueCopyCommand.self])
}
