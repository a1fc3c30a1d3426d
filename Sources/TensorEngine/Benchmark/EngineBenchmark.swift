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

    /// The four forward GEMMs of a block (qkv, proj, fc1, fc2) at M = rows.
    final class SgemmRound {
        let rows: Int, dim: Int
        let x: Tensor, h: Tensor, y: Tensor
        let shapes: [(Int, Int)]                 // (in, out)
        let weights: [Tensor]

        init(rows: Int, dim: Int) {
            self.rows = rows; self.dim = dim
            var rng = RandomGenerator(seed: 1)
            x = Tensor(zeros: [rows, dim]); h = Tensor(zeros: [rows, 4 * dim]); y = Tensor(zeros: [rows, 4 * dim])
            rng.fillNormal(x); rng.fillNormal(h)
            shapes = [(dim, 3 * dim), (dim, dim), (dim, 4 * dim), (4 * dim, dim)]
            weights = shapes.map { s in let w = Tensor(zeros: [s.1, s.0]); rng.fillNormal(w, std: 0.02); return w }
        }

        var flops: Double { shapes.reduce(0.0) { $0 + 2 * Double(rows) * Double($1.0) * Double($1.1) } }

        func run() {
            for (i, s) in shapes.enumerated() {
                let input = s.0 == dim ? Ops.Matrix(x) : Ops.Matrix(h)
                Ops.gemm(input, transA: false, Ops.Matrix(weights[i]), transB: true, Ops.Matrix(y.pointer, rows: rows, cols: s.1))
            }
        }
    }

    /// One pre-norm ViT block (GELU MLP 4x) with fixed input and output gradient.
    final class BlockRound {
        let block: TransformerBlock
        let x: Tensor, dy: Tensor

        init(batch: Int, tokens: Int, dim: Int, heads: Int) {
            var rng = RandomGenerator(seed: 2)
            block = TransformerBlock(TransformerBlockConfig(dim: dim, heads: heads))
            block.initialize(&rng)
            x = Tensor(zeros: [batch, tokens, dim]); dy = Tensor(zeros: [batch, tokens, dim])
            rng.fillNormal(x); rng.fillNormal(dy, std: 0.01)
        }

        func forward() { _ = block.forward(x) }
        func forwardBackward() { _ = block.forward(x); block.backward(dy) }
    }

    static func dinov2Milliseconds(repeats: Int) -> Double {
        var rng = RandomGenerator(seed: 3)
        let model = ViTBenchmarkModel(dim: 384, depth: 12, heads: 6, patch: 14, imageSize: 224, rng: &rng)
        let image = Tensor(zeros: [1, 3, 224, 224])
        rng.fillNormal(image)
        let t = bestTime(repeats) { _ = try? model.forward(image) }
        return t * 1000
    }

    private static func fmt(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
}
