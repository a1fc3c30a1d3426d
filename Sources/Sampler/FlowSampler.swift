import TensorEngine

/// ODE sampler for flow-matching generators: integrates dx/dt = v(x, t) from noise at t = 1 to
/// t = 0 on the shifted grid (Euler or Heun), with classifier-free guidance inside the interval
/// t <= guidanceMaxTime. The conditional and unconditional branches run as one forward of batch
/// 2B; outside the interval only the conditional half (batch B) runs. Heun's last step, which
/// ends at t = 0, is an Euler step, as in EDM, so the model is never evaluated at t = 0.
///
/// Image i's initial noise comes only from `seeds[i]`, so it renders identically alone or in a
/// batch. All buffers live in slots: after the first step nothing is allocated.
public final class FlowSampler {
    public let model: VelocityModel
    public var configuration: FlowSamplerConfiguration
    /// When set, the result is mapped back from standardised latents.
    public var statistics: LatentStatistics?

    private let xSlot = TensorSlot(), vSlot = TensorSlot(), v2Slot = TensorSlot(), predSlot = TensorSlot()
    private let batchXSlot = TensorSlot(), batchTSlot = TensorSlot()
    private let batchTextSlot = TensorSlot(), batchMaskSlot = TensorSlot()

    public init(model: VelocityModel, configuration: FlowSamplerConfiguration = FlowSamplerConfiguration(),
                statistics: LatentStatistics? = nil) {
        self.model = model
        self.configuration = configuration
        self.statistics = statistics
    }

    /// The time shift in use (configured, else RAE's rule for the model's latent size).
    public var shift: Double {
        FlowMatching.shift(forTokens: model.imageTokens, channels: model.latentChannels, override: configuration.shift)
    }

    /// Initial noise (B, N, d): row i from `RandomGenerator(seed: seeds[i])`.
    public func initialNoise(seeds: [UInt64], into x: Tensor) { Self.noise(seeds: seeds, into: x) }

    /// Gaussian noise (B, ...) whose row i comes from `RandomGenerator(seed: seeds[i])` only, so an
    /// image renders the same alone or in a batch (every sampler's starting point).
    static func noise(seeds: [UInt64], into x: Tensor) {
        for (i, seed) in seeds.enumerated() {
            var rng = RandomGenerator(seed: seed)
            rng.fillNormal(x.slice(first: i..<(i + 1)))
        }
    }

    /// Samples one latent (B = seeds.count, N, d) per seed. `prompt` and `negative` hold 1 row
    /// (shared) or B rows and the same token count (the negative prompt's embedding drives the
    /// unconditional branch: the empty prompt's by default, supplied by the caller). `progress` is
    /// called after each step with (step, total); throwing from it cancels sampling.
    /// Returns a sampler-owned buffer, reused by the next call.
    ///
    /// Requires at least one seed and one step (a request's `GenerationParameters.validate()`
    /// guarantees both); conditioning that does not fit the batch is a thrown `invalidInput`.
    public func sample(seeds: [UInt64], prompt: TextCondition, negative: TextCondition,
                       progress: (Int, Int) throws -> Void = { _, _ in }) throws -> Tensor {
        let cfg = configuration
        let b = seeds.count, n = model.imageTokens, d = model.latentChannels
        precondition(b > 0, "FlowSampler.sample needs at least one seed")
        precondition(cfg.steps > 0, "FlowSampler.sample needs at least one step, got \(cfg.steps)")
        let guided = cfg.guidanceScale != 1
        let rowsNeeded = guided ? 2 * b : b
        // Conditioning for the batch: rows [cond_0 ... cond_{B-1}, uncond_0 ... uncond_{B-1}].
        let text = batchTextSlot.tensor(rowsNeeded, prompt.tokens, prompt.width)
        let mask = batchMaskSlot.tensor(rowsNeeded, prompt.tokens)
        try TextCondition.fillBatch(prompt: prompt, negative: negative, images: b, guided: guided, hidden: text, mask: mask)
        let x = xSlot.tensor(b, n, d)                                         // (B, N, d)
        initialNoise(seeds: seeds, into: x)
        let v = vSlot.tensor(b, n, d)
        let grid = FlowMatching.timeGrid(steps: cfg.steps, shift: shift)
        for step in 0..<cfg.steps {
            let t = grid[step], tNext = grid[step + 1], dt = Float(tNext - t)
            try velocity(x, t: t, text: text, mask: mask, into: v)
            if cfg.method == .heun && tNext > 0 {
                let pred = predSlot.tensor(b, n, d), v2 = v2Slot.tensor(b, n, d)
                axpy(x, dt, v, into: pred)
                try velocity(pred, t: tNext, text: text, mask: mask, into: v2)
                let xp = x.pointer, vp = v.pointer, v2p = v2.pointer, half = dt / 2
                for i in 0..<x.count { xp[i] += half * (vp[i] + v2p[i]) }
            } else {
                axpy(x, dt, v, into: x)
            }
            try progress(step + 1, cfg.steps)
        }
        if let statistics { try statistics.denormalize(x) }
        return x
    }

    /// Guided velocity at time t into v (B, N, d); text/mask hold 2B rows when guidance is on.
    private func velocity(_ x: Tensor, t: Double, text: Tensor, mask: Tensor, into v: Tensor) throws {
        let b = x.dim(0), n = x.dim(1), d = x.dim(2)
        let cfg = configuration
        let useCFG = cfg.guidanceScale != 1 && t <= cfg.guidanceMaxTime + 1e-9
        let rows = useCFG ? 2 * b : b
        let bx = batchXSlot.tensor(2 * b, n, d), bt = batchTSlot.tensor(2 * b)
        bx.pointer.update(from: x.pointer, count: x.count)
        if useCFG { (bx.pointer + x.count).update(from: x.pointer, count: x.count) }
        bt.fill(Float(t))
        let out = try model.velocity(bx.slice(first: 0..<rows), timesteps: bt.slice(first: 0..<rows),
                                     text: text.slice(first: 0..<rows), textMask: mask.slice(first: 0..<rows))
        guard out.count == rows * n * d else {
            throw SamplerError(.invalidInput, "model returned \(out.shape), expected (\(rows), \(n), \(d))")
        }
        if useCFG {
            let w = Float(cfg.guidanceScale), c = out.pointer, u = out.pointer + x.count, vp = v.pointer
            for i in 0..<v.count { vp[i] = u[i] + w * (c[i] - u[i]) }
        } else {
            v.pointer.update(from: out.pointer, count: v.count)
        }
    }

    /// y = x + a v (y may be x).
    private func axpy(_ x: Tensor, _ a: Float, _ v: Tensor, into y: Tensor) {
        let xp = x.pointer, vp = v.pointer, yp = y.pointer
        for i in 0..<x.count { yp[i] = xp[i] + a * vp[i] }
    }
}
