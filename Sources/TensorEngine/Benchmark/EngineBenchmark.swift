import Dispatch
import Foundation

/// `fae-t2i bench engine`: the engine measured against the machine's own sgemm throughput.
public enum EngineBenchmark {
    /// Runs all three measurements with `threads` threads (sets `Engine.threads`); each figure is the
    /// best of `repeats` timed runs after a warm-up, since the cores are shared.
    public static func run(threads: Int, repeats: Int = 5) -> EngineBenchmarkResult {
        Engine.threads = threads
        let (batch, tokens, dim, heads) = (32, 64, 256, 4)
        let sgemm = sgemmGflops(rows: batch * tokens, dim: dim, repeats: repeats * 2)
        let (fwd, fwdBwd) = blockGflops(batch: batch, tokens: tokens, dim: dim, heads: heads, repeats: repeats)
        let dino = dinov2Milliseconds(repeats: repeats)
        let description = """
            engine benchmark (\(threads) threads)
              sgemm at block shapes (M=\(batch * tokens), width \(dim)): \(fmt(sgemm)) GFLOP/s
              block forward (B=\(batch), T=\(tokens), C=\(dim), H=\(heads)): \(fmt(fwd)) GFLOP/s = \(fmt(fwd / sgemm, 2)) of sgemm (target 0.80)
              block forward+backward: \(fmt(fwdBwd)) GFLOP/s = \(fmt(fwdBwd / sgemm, 2)) of sgemm (target 0.70)
              DINOv2-S/14 forward (224 px, batch 1): \(fmt(dino)) ms (target < 100)
            """
        return EngineBenchmarkResult(threads: threads, sgemmGflops: sgemm, blockFwdGflops: fwd, blockFwdRatio: fwd / sgemm,
                                     blockFwdbwdGflops: fwdBwd, blockFwdbwdRatio: fwdBwd / sgemm,
                                     dinov2S14Ms: dino, description: description)
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

    static func sgemmGflops(rows: Int, dim: Int, repeats: Int) -> Double {
        var rng = RandomGenerator(seed: 1)
        let x = Tensor(zeros: [rows, dim]), h = Tensor(zeros: [rows, 4 * dim]), y = Tensor(zeros: [rows, 4 * dim])
        rng.fillNormal(x); rng.fillNormal(h)
        let shapes = [(dim, 3 * dim), (dim, dim), (dim, 4 * dim), (4 * dim, dim)]   // (in, out)
        let weights = shapes.map { s -> Tensor in let w = Tensor(zeros: [s.1, s.0]); rng.fillNormal(w, std: 0.02); return w }
        let time = bestTime(repeats) {
            for (i, s) in shapes.enumerated() {
                let input = s.0 == dim ? Ops.Matrix(x) : Ops.Matrix(h)
                Ops.gemm(input, transA: false, Ops.Matrix(weights[i]), transB: true, Ops.Matrix(y.pointer, rows: rows, cols: s.1))
            }
        }
        let flops = shapes.reduce(0.0) { $0 + 2 * Double(rows) * Double($1.0) * Double($1.1) }
        return flops / time / 1e9
    }

    static func blockGflops(batch: Int, tokens: Int, dim: Int, heads: Int, repeats: Int) -> (Double, Double) {
        var rng = RandomGenerator(seed: 2)
        let block = TransformerBlock(TransformerBlockConfig(dim: dim, heads: heads))
        block.initialize(&rng)
        let x = Tensor(zeros: [batch, tokens, dim]), dy = Tensor(zeros: [batch, tokens, dim])
        rng.fillNormal(x); rng.fillNormal(dy, std: 0.01)
        let flops = blockForwardFlops(batch: batch, tokens: tokens, dim: dim)
        let fwd = bestTime(repeats) { _ = block.forward(x) }
        let fwdBwd = bestTime(repeats) {
            _ = block.forward(x)
            block.backward(dy)
        }
        return (flops / fwd / 1e9, 3 * flops / fwdBwd / 1e9)
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
