import Models
import TensorEngine

/// Sampler of the normalizing-flow generator: per seed Gaussian noise z (B, N, d) times the
/// temperature, mapped to a
/// latent by the flow's inverse (`TransformerFlow.sample`, token by token, the conditional and the
/// unconditional branch in one batch of 2B when guidance is not 1), then one score step removes the
/// training noise (Tweedie's formula): x + s^2 grad log p(x | prompt), s = the flow's noise scale,
/// the gradient through the whole flow. The result is mapped back from standardised latents.
///
/// Of `configuration` only the guidance weight (at least 1) and the temperature (nil: 1; callers
/// pass one in `FlowSamplerConfiguration.temperatures`) apply; a flow has no time steps.
/// Progress counts the flow's tokens x blocks, then the denoising step. Image i depends only on
/// its seed, prompt and negative prompt.
public final class NormalizingFlowSampler: LatentSampler {
    public let flow: TransformerFlow
    public var configuration: FlowSamplerConfiguration
    public var statistics: LatentStatistics?

    private let noiseSlot = TensorSlot(), latentSlot = TensorSlot()
    private let batchTextSlot = TensorSlot(), batchMaskSlot = TensorSlot()

    public init(flow: TransformerFlow, configuration: FlowSamplerConfiguration = FlowSamplerConfiguration(),
                statistics: LatentStatistics? = nil) {
        self.flow = flow
        self.configuration = configuration
        self.statistics = statistics
    }

    public func sample(seeds: [UInt64], prompt: TextCondition, negative: TextCondition,
                       progress: (Int, Int) throws -> Void = { _, _ in }) throws -> Tensor {
        let b = seeds.count, n = flow.config.imageTokens, d = flow.config.latentChannels
        precondition(b > 0, "NormalizingFlowSampler.sample needs at least one seed")
        let guidance = configuration.guidanceScale
        guard guidance.isFinite, guidance >= 1 else {
            throw SamplerError(.invalidInput, "a normalizing flow's guidance must be at least 1 (1: none), got \(guidance)")
        }
        let temperature = configuration.temperature ?? 1
        precondition(FlowSamplerConfiguration.temperatures.contains(temperature),
                     "NormalizingFlowSampler.sample: temperature \(temperature) is outside \(FlowSamplerConfiguration.temperatures)")
        let guided = guidance != 1, rows = guided ? 2 * b : b
        // Conditioning rows [cond_0 ... cond_{B-1}, uncond_0 ... uncond_{B-1}].
        let text = batchTextSlot.tensor(rows, prompt.tokens, prompt.width), mask = batchMaskSlot.tensor(rows, prompt.tokens)
        try TextCondition.fillBatch(prompt: prompt, negative: negative, images: b, guided: guided, hidden: text, mask: mask)
        let z = noiseSlot.tensor(b, n, d)
        FlowSampler.noise(seeds: seeds, into: z)
        if temperature != 1 { Ops.scale(z, by: Float(temperature)) }
        let total = flow.blocks.count * n + 1
        let sampled: Tensor
        do {
            sampled = try flow.sample(noise: z, text: text, textMask: mask, guidance: Float(guidance)) { done, _ in
                try progress(done, total)
            }
        } catch let error as ModelError {
            throw SamplerError(.invalidInput, error.message, cause: error)
        }
        let x = latentSlot.tensor(b, n, d)
        x.copy(from: sampled)
        try denoise(x, text: text.slice(first: 0..<b), mask: mask.slice(first: 0..<b))
        try progress(total, total)
        if let statistics { try statistics.denormalize(x) }
        return x
    }

    /// x += s^2 grad_x log p(x | text), in place (x (B, N, d), standardised).
    func denoise(_ x: Tensor, text: Tensor, mask: Tensor) throws {
        let scale = Float(flow.config.noiseScale)
        guard scale > 0 else { return }
        _ = try flow.forward(x, text: text, textMask: mask)
        // backward gives d(mean over the batch of -log p / (N d))/dx: -grad log p / (B N d).
        let gradient = flow.backward()
        let step = scale * scale * Float(x.dim(0) * flow.dimensions)
        let xp = x.pointer, gp = gradient.pointer
        for i in 0..<x.count { xp[i] -= step * gp[i] }
        // The parameters' gradients of this pass are not for training: leave none behind.
        flow.zeroGrad()
    }
}
