import ArgumentParser
import Foundation
import Models
import TensorEngine

/// `bench engine`: the engine against the machine's own limit (cblas_sgemm at the same shapes),
/// and a DINOv2-S/14 forward through the real `Dinov2Model`.
struct BenchEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine",
        abstract: "sgemm GFLOP/s, transformer-block forward and forward+backward GFLOP/s, DINOv2-S/14 forward ms.")

    /// The engine's targets on the 2-core reference machine; PyTorch 2.15 runs the S/14 forward in ~118 ms.
    static let targets = (forwardRatio: 0.80, forwardBackwardRatio: 0.70, dinov2Milliseconds: 100.0, pytorchDinov2Milliseconds: 118.0)

    @Option(help: "Timed rounds; each figure is the best round (the cores may be shared).")
    var repeats: Int = 20
    @OptionGroup var threadOption: ThreadOption
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        guard (1...1_000).contains(repeats) else { throw CLIError("--repeats must be between 1 and 1000, got \(repeats)") }
    }

    struct Report: Encodable {
        let threads: Int
        let blasCore: String
        let sgemmGflops, blockFwdGflops, blockFwdRatio, blockFwdbwdGflops, blockFwdbwdRatio, dinov2S14Ms: Double
        enum CodingKeys: String, CodingKey {
            case threads, blasCore = "blas_core"
            case sgemmGflops = "sgemm_gflops", blockFwdGflops = "block_fwd_gflops", blockFwdRatio = "block_fwd_ratio"
            case blockFwdbwdGflops = "block_fwdbwd_gflops", blockFwdbwdRatio = "block_fwdbwd_ratio", dinov2S14Ms = "dinov2_s14_ms"
        }
    }

    func run() throws {
        let threads = threadOption.apply()
        let engine = EngineBenchmark.run(threads: threads, repeats: repeats)
        let dinov2 = try Self.dinov2S14Milliseconds(repeats: repeats)
        let report = Report(threads: threads, blasCore: Engine.blasCoreName, sgemmGflops: engine.sgemmGflops, blockFwdGflops: engine.blockFwdGflops,
                            blockFwdRatio: engine.blockFwdRatio, blockFwdbwdGflops: engine.blockFwdbwdGflops,
                            blockFwdbwdRatio: engine.blockFwdbwdRatio, dinov2S14Ms: dinov2)
        if json {
            try JSONOutput.print(report)
            return
        }
        let t = Self.targets
        print("engine benchmark, \(threads) threads, best of \(repeats) rounds, OpenBLAS kernels for \(report.blasCore)")
        print(String(format: "  cblas_sgemm (block GEMM shapes, M=2048, width 256): %7.1f GFLOP/s", report.sgemmGflops))
        print(String(format: "  block forward (width 256, 4 heads, 64 tokens, batch 32): %6.1f GFLOP/s = %.2f of sgemm (target %.2f)",
                     report.blockFwdGflops, report.blockFwdRatio, t.forwardRatio))
        print(String(format: "  block forward+backward:                                 %6.1f GFLOP/s = %.2f of sgemm (target %.2f)",
                     report.blockFwdbwdGflops, report.blockFwdbwdRatio, t.forwardBackwardRatio))
        print(String(format: "  DINOv2-S/14 forward (224x224, batch 1): %.1f ms (target < %.0f ms; PyTorch ~%.0f ms, ratio %.2f)",
                     dinov2, t.dinov2Milliseconds, t.pytorchDinov2Milliseconds, dinov2 / t.pytorchDinov2Milliseconds))
    }

    /// Best forward time of a randomly initialised DINOv2-S/14 (width 384, 12 layers, 6 heads).
    static func dinov2S14Milliseconds(repeats: Int) throws -> Double {
        var config = Dinov2Config()
        config.hiddenSize = 384
        config.numHiddenLayers = 12
        config.numAttentionHeads = 6
        let model = try Dinov2Model(config: config)
        model.initialize(seed: 0)
        var generator = SystemRandomNumberGenerator()
        let pixels = try Tensor(shape: [1, 3, 224, 224], values: (0..<(3 * 224 * 224)).map { _ in Float.random(in: -1...1, using: &generator) })
        return try BestRound.seconds(rounds: repeats) { _ = try model.forward(pixels) } * 1e3
    }
}
