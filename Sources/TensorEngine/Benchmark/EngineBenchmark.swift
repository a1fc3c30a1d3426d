import Dispatch
import Foundation

/// `fae-t2i bench engine`: the engine measured against the machine's own sgemm throughput.
public enum EngineBenchmark {
    /// Runs all three measurements with `threads` threads (sets `Engine.threads`); each figure is the
    /// best of `repeats` timed runs after a warm-up, since the cores are shared.
    public static func run(threads: Int, repeats: Int = 10) -> EngineBenchmarkResult {
        Engine.threads = threads
        let (batch, tokens, dim, heads) = (32, 64, 256, 4)
        // sgemm and block rounds are interleaved so both see the same machine load (the cores are
        // shared); each figure is the best round.
        let sgemm = SgemmRound(rows: batch * tokens, dim: dim)
        let block = BlockRound(batch: batch, tokens: tokens, dim: dim, heads: heads)
        var best = (sgemm: Double.infinity, fwd: Double.infinity, fwdBwd: Double.infinity)
        sgemm.run(); block.forward(); block.forwardBackward()          // warm-up: sizes every buffer
        for _ in 0..<repeats {
            best.sgemm = min(best.sgemm, seconds { sgemm.run() })
            best.fwd = min(best.fwd, seconds { block.forward() })
            best.fwdBwd = min(best.fwdBwd, seconds { block.forwardBackward() })
        }
        let sgemmGflops = sgemm.flops / best.sgemm / 1e9
        let flops = blockForwardFlops(batch: batch, tokens: tokens, dim: dim)
        let fwd = flops / best.fwd / 1e9, fwdBwd = 3 * flops / best.fwdBwd / 1e9
        let dino = dinov2Milliseconds(repeats: repeats)
        let description = """
            engine benchmark (\(threads) threads)
              sgemm at block shapes (M=\(batch * tokens), width \(dim)): \(fmt(sgemmGflops)) GFLOP/s
              block forward (B=\(batch), T=\(tokens), C=\(dim), H=\(heads)): \(fmt(fwd)) GFLOP/s = \(fmt(fwd / sgemmGflops, 2)) of sgemm (target 0.80)
              block forward+backward: \(fmt(fwdBwd)) GFLOP/s = \(fmt(fwdBwd / sgemmGflops, 2)) of sgemm (target 0.70)
              DINOv2-S/14 forward (224 px, batch 1): \(fmt(dino)) ms (target < 100)
            """
        return EngineBenchmarkResult(threads: threads, sgemmGflops: sgemmGflops, blockFwdGflops: fwd,
                                     blockFwdRatio: fwd / sgemmGflops, blockFwdbwdGflops: fwdBwd,
                                     blockFwdbwdRatio: fwdBwd / sgemmGflops, dinov2S14Ms: dino, description: description)
    }

    static func seconds(_ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }

    /// Best-of-`repeats` seconds of `body` after one warm-up call.
    static func bestTime(_ repeats: Int, _ body: () -> Void) -> Double {
        body()
        var best = Double.infinity
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return best
    }

    /// Matmul FLOPs of one pre-norm block forward: qkv, proj, fc1, fc2 and the two attention GEMMs.
    static func blockForwardFlops(batch: Int, tokens: Int, dim: Int) -> Double {
        let m = Double(batch * tokens), c = Double(dim)
        let linear = 2 * m * c * (3 * c + c + 4 * c + 4 * c)
        let attention = 2 * 2 * Double(batch) * Double(tokens) * Double(tokens) * c
        return linear + attention
    }

    /// Best-of-`repeats` milliseconds of the DINOv2-S/14-sized forward (224 px, batch 1).
    public static func dinov2Milliseconds(repeats: Int) -> Double {
        var rng = RandomGenerator(seed: 3)
        let model = ViTBenchmarkModel(dim: 384, depth: 12, heads: 6, patch: 14, imageSize: 224, rng: &rng)
        let image = Tensor(zeros: [1, 3, 224, 224])
        rng.fillNormal(image)
        let t = bestTime(repeats) { _ = try? model.forward(image) }
        return t * 1000
    }

    private static func fmt(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
}
