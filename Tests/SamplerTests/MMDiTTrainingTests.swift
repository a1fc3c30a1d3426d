import Testing
import Models
import Sampler
import TensorEngine

/// A tiny flow-matching run: a width-16 MMDiT on 4 fixed latents with fixed text embeddings;
/// the loss over the last steps must be clearly below the first steps'.
@Suite struct MMDiTTrainingTests {
    @Test func flowMatchingLossFalls() throws {
        let cfg = MMDiTConfig(width: 16, depth: 2, heads: 2, latentChannels: 3, gridHeight: 2, gridWidth: 2,
                              textWidth: 4, maxTextTokens: 2, mlpRatio: 2, timestepEmbeddingDim: 16)
        let model = try MMDiT(config: cfg)
        model.initialize(seed: 1)
        var rng = RandomGenerator(seed: 2)
        let b = 8, n = cfg.imageTokens, d = cfg.latentChannels
        let latentSet = Tensor(zeros: [4, n, d]), textSet = Tensor(zeros: [4, 2, 4])
        rng.fillNormal(latentSet); rng.fillNormal(textSet)
        let z = Tensor(zeros: [b, n, d]), eps = Tensor(zeros: [b, n, d]), t = Tensor(zeros: [b])
        let xt = Tensor(zeros: [b, n, d]), target = Tensor(zeros: [b, n, d]), dv = Tensor(zeros: [b, n, d])
        let text = Tensor(zeros: [b, 2, 4]), mask = Tensor(zeros: [b, 2])
        mask.fill(1)
        for i in 0 ..< b {
            z.slice(first: i ..< i + 1).copy(from: latentSet.slice(first: i % 4 ..< i % 4 + 1))
            text.slice(first: i ..< i + 1).copy(from: textSet.slice(first: i % 4 ..< i % 4 + 1))
        }
        let optimizer = AdamW(model.namedParameters(prefix: ""), learningRate: 3e-3, weightDecay: 0)
        var losses: [Float] = []
        for _ in 0 ..< 60 {
            rng.fillNormal(eps)
            FlowMatching.sampleTimesteps(into: t, shift: 1, rng: &rng)
            FlowMatching.interpolate(latents: z, noise: eps, timesteps: t, xt: xt, target: target)
            let v = try model.forward(xt, timesteps: t, text: text, textMask: mask)
            dv.zero()
            losses.append(Ops.mseLoss(pred: v, target: target, dPred: dv))
            optimizer.zeroGrad()
            model.backward(dv)
            optimizer.step()
        }
        let first = losses.prefix(10).reduce(0, +) / 10, last = losses.suffix(10).reduce(0, +) / 10
        #expect(last < 0.6 * first, "loss \(first) -> \(last)")
    }
}
