import Foundation
import Testing
import Models
import Sampler
import TensorEngine

/// Opt-in timing of the generator at the suggested sizes (meaningful only in release):
/// `FAE_T2I_BENCH=1 swift test -c release --filter MMDiTBenchmarkTests`.
/// Prints seconds per image (25 Euler steps, CFG, batch 1), images/s for 16 prompts in one batch,
/// and training samples/s (forward + backward + AdamW at batch 64). Random weights: the cost does
/// not depend on them. Serialized: the two sizes would otherwise share the 2 cores.
@Suite(.serialized) struct MMDiTBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FAE_T2I_BENCH"] == "1"),
          arguments: [(128, 4, 4), (160, 6, 5)])
    func generatorTiming(width: Int, depth: Int, heads: Int) throws {
        Engine.threads = ThreadSettings.resolve(option: nil, environment: ProcessInfo.processInfo.environment)
        let cfg = MMDiTConfig(width: width, depth: depth, heads: heads, latentChannels: 16, gridHeight: 8, gridWidth: 8,
                              textWidth: 128, maxTextTokens: 12, mlpRatio: 4, timestepEmbeddingDim: 256)
        let model = try MMDiT(config: cfg)
        model.initialize(seed: 1)
        var rng = RandomGenerator(seed: 2)
        for p in model.parameters { rng.fillNormal(p.value, std: 0.02) }
        let sampler = FlowSampler(model: model)
        func condition(_ rows: Int) throws -> TextCondition {
            let c = try TextCondition(hidden: Tensor(zeros: [rows, 12, 128]), mask: Tensor(zeros: [rows, 12]))
            rng.fillNormal(c.hidden); c.mask.fill(1)
            return c
        }
        let negative = try condition(1)
        func best(_ repeats: Int, _ body: () throws -> Void) rethrows -> Double {
            var best = Double.infinity
            for _ in 0 ..< repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return best
        }
        let one = try condition(1), sixteen = try condition(16)
        let single = try best(5) { _ = try sampler.sample(seeds: [1], prompt: one, negative: negative) }
        let batched = try best(3) { _ = try sampler.sample(seeds: (0 ..< 16).map(UInt64.init), prompt: sixteen, negative: negative) }

        // Training step: batch 64, flow-matching loss, backward, AdamW.
        let b = 64
        let z = Tensor(zeros: [b, 64, 16]), eps = Tensor(zeros: [b, 64, 16]), t = Tensor(zeros: [b])
        let xt = Tensor(zeros: [b, 64, 16]), target = Tensor(zeros: [b, 64, 16]), dv = Tensor(zeros: [b, 64, 16])
        let text = Tensor(zeros: [b, 12, 128]), mask = Tensor(zeros: [b, 12])
        rng.fillNormal(z); rng.fillNormal(text); mask.fill(1)
        let optimizer = AdamW(model.namedParameters(prefix: ""), learningRate: 1e-4)
        let step = try best(4) {
            rng.fillNormal(eps)
            FlowMatching.sampleTimesteps(into: t, shift: 1, rng: &rng)
            FlowMatching.interpolate(latents: z, noise: eps, timesteps: t, xt: xt, target: target)
            let v = try model.forward(xt, timesteps: t, text: text, textMask: mask)
            dv.zero()
            _ = Ops.mseLoss(pred: v, target: target, dPred: dv)
            optimizer.zeroGrad()
            model.backward(dv)
            optimizer.step()
        }
        print(String(format: "MMDiT width %d depth %d (%.2fM params, %d threads): %.3f s/image (batch 1, 25 steps, CFG); "
                     + "%.1f images/s (16 prompts batched); train step batch 64 %.3f s = %.0f samples/s, 10k steps %.1f min",
                     width, depth, Double(model.parameterCount) / 1e6, Engine.threads, single, 16 / batched, step,
                     Double(b) / step, step * 10_000 / 60))
        #expect(single.isFinite && batched.isFinite && step.isFinite)
    }
}
