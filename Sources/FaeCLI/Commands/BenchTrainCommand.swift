import ArgumentParser
import Foundation
import Training

/// `bench train`: samples per second of the generator's training step (the default model sizes,
/// random weights), every op split across the threads against one model copy per thread.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Samples/s of the generator's training step: ops split across threads vs one model copy per thread.")

    @Option(help: "Timed rounds of each mode after a warm-up, interleaved; each figure is the best round.") var rounds: Int = 5
    @Option(help: "Samples per step.") var batchSize: Int = 64
    @Option(help: "Text tokens per caption (the generator's --text-tokens).") var textTokens: Int = GeneratorConfiguration().textTokens
    @OptionGroup var threadOption: ThreadOption
    @Flag(help: "Print machine-readable JSON (keys: threads, samples_per_second_split_ops, samples_per_second_data_parallel, speedup).")
    var json = false

    func validate() throws {
        guard (1...100).contains(rounds) else { throw CLIError("--rounds must be between 1 and 100, got \(rounds)") }
        guard (1...1024).contains(batchSize) else { throw CLIError("--batch-size must be between 1 and 1024, got \(batchSize)") }
        guard (2...512).contains(textTokens) else { throw CLIError("--text-tokens must be between 2 and 512, got \(textTokens)") }
    }

    struct Report: Encodable {
        let threads, batchSize, textTokens: Int
        let samplesPerSecondSplitOps, samplesPerSecondDataParallel, speedup, gradientDifference: Double
        enum CodingKeys: String, CodingKey {
            case threads, batchSize = "batch_size", textTokens = "text_tokens"
            case samplesPerSecondSplitOps = "samples_per_second_split_ops"
            case samplesPerSecondDataParallel = "samples_per_second_data_parallel"
            case speedup, gradientDifference = "gradient_difference"
        }
    }

    func run() throws {
        let threads = threadOption.apply()
        var configuration = GeneratorConfiguration()
        configuration.textTokens = textTokens
        let result = try GeneratorStepBenchmark.run(configuration: configuration, batchSize: batchSize, threads: threads, rounds: rounds)
        let report = Report(threads: threads, batchSize: batchSize, textTokens: textTokens,
                            samplesPerSecondSplitOps: result.splitOpsSamplesPerSecond,
                            samplesPerSecondDataParallel: result.dataParallelSamplesPerSecond,
                            speedup: result.speedup, gradientDifference: result.gradientDifference)
        if json {
            try JSONOutput.print(report)
            return
        }
        print("generator training step (width \(configuration.width), depth \(configuration.depth), T5 \(configuration.textLayers) layers; batch \(batchSize), \(textTokens) text tokens), \(threads) threads, best of \(rounds) rounds")
        print(String(format: "  every op split across the threads: %6.1f samples/s", report.samplesPerSecondSplitOps))
        print(String(format: "  one model copy per thread:         %6.1f samples/s = %.2f x the split ops", report.samplesPerSecondDataParallel, report.speedup))
        print(String(format: "  largest gradient difference between the two: %.1e of the largest gradient", report.gradientDifference))
    }
}
