import ArgumentParser

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate a trained model.",
        subcommands: [EvalFAECommand.self, EvalShapeBenchCommand.self, EvalFlowCommand.self])
}
