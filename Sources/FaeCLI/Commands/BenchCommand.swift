import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure throughput on this machine.",
        subcommands: [BenchQueueCommand.self, BenchWorkersCommand.self, BenchEngineCommand.self, BenchRenderCommand.self, BenchTrainCommand.self])
}
