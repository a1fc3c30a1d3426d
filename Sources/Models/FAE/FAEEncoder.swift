import TensorEngine

/// The FAE encoder: encoder features x (B, N, C) -> q(z | x) = N(mean, exp(logvar)), each (B, N, d).
///
/// Kind `attention` (the paper): h = x + attn(x) with wide heads (heads * headDim may exceed C), no
/// MLP and no norm (an optional RMSNorm before attention: `encoder_pre_norm`); then GELU and one
/// linear map to 2d channels, split into mean and logvar. `linear`: one per-token linear map to 2d.
/// `transformer3`: three pre-norm blocks (RMSNorm, SwiGLU), then the same GELU + linear head.
/// Parameter keys: `norm.weight`, `attention.{q,k,v,out}_proj.*`, `blocks.{i}.*`, `proj.*`.
public final class FAEEncoder: FAEComponent {
    public let config: FAEConfig
    public let preNorm: RMSNorm?
    public let attention: MultiHeadAttention?
    public let blocks: [TransformerBlock]
    /// (C) -> (2d): mean channels first, then logvar.
    public let projection: Linear
    /// Whether `backward` returns d features (false: features are frozen data).
    public var needsInputGradient = false {
        didSet { configureInputGradients() }
    }

    private var input: Tensor?, body: Tensor?
    private let residualSlot = TensorSlot(), activationSlot = TensorSlot()
    private let meanSlot = TensorSlot(), logvarSlot = TensorSlot()
    private let dOutSlot = TensorSlot(), dBodySlot = TensorSlot(), dxSlot = TensorSlot()
    // Sampling state (FAEEncoder+Sampling).
    let noiseSlot = TensorSlot(), stdSlot = TensorSlot(), zSlot = TensorSlot()
    let dMeanSlot = TensorSlot(), dLogvarSlot = TensorSlot()

    public init(config: FAEConfig) throws {
        try config.validate()
        self.config = config
        let c = config.encoderWidth
        switch config.encoderKind {
        case .attention:
            preNorm = config.encoderPreNorm ? RMSNorm(c, eps: config.normEps) : nil
            attention = MultiHeadAttention(dim: c, heads: config.encoderHeads, headDim: config.encoderHeadDim,
                                           names: .standard)
            blocks = []
        case .linear:
            preNorm = nil; attention = nil; blocks = []
        case .transformer3:
            preNorm = nil; attention = nil
            let block = config.llamaBlock(width: c, heads: config.encoderHeads, headDim: config.encoderHeadDim)
            blocks = (0..<3).map { _ in TransformerBlock(block) }
        }
        projection = Linear(c, 2 * config.latentChannels)
        configureInputGradients()
        initialize(seed: 0)
    }

    public static func parameterCount(_ config: FAEConfig) -> Int { config.encoderParameterCount }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r: [(String, Parameter)] = []
        if let preNorm { r += preNorm.namedParameters(prefix: prefix + "norm.") }
        if let attention { r += attention.namedParameters(prefix: prefix + "attention.") }
        r += blocks.namedParameters(prefix: prefix + "blocks.")
        r += projection.namedParameters(prefix: prefix + "proj.")
        return r
    }

    /// PyTorch default init for linear layers; norms at weight 1.
    public func initialize(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        attention?.initialize(&rng)
        for block in blocks { block.initialize(&rng) }
        projection.initialize(&rng)
        preNorm?.weight.value.fill(1)
        for block in blocks {
            for (key, p) in block.namedParameters(prefix: "") where key.hasPrefix("norm") { p.value.fill(1) }
        }
    }

    /// features (B, N, C) -> posterior mean and logvar (B, N, d). Deterministic; sample with `sample`.
    public func forward(_ x: Tensor) -> FAEPosterior {
        precondition(x.rank == 3 && x.dim(2) == config.encoderWidth, "FAE encoder expects (B, N, \(config.encoderWidth)), got \(x.shape)")
        input = x
        let out: Tensor                                                   // (B, N, 2d)
        switch config.encoderKind {
        case .linear:
            out = projection.forward(x)
        case .attention, .transformer3:
            let h = bodyForward(x)                                        // (B, N, C)
            body = h
            let a = activationSlot.tensor(like: h)
            Ops.activationForward(.gelu, x: h, y: a)
            out = projection.forward(a)
        }
        let d = config.latentChannels
        let b = x.dim(0), n = x.dim(1)
        let mean = meanSlot.tensor(b, n, d), logvar = logvarSlot.tensor(b, n, d)
        Ops.narrowForward(out, axis: 2, start: 0, y: mean)
        Ops.narrowForward(out, axis: 2, start: d, y: logvar)
        return FAEPosterior(mean: mean, logvar: logvar)
    }

    /// Backward of `forward` from d mean and d logvar (B, N, d): accumulates parameter gradients;
    /// returns d features when `needsInputGradient`, else nil.
    @discardableResult
    public func backward(dMean: Tensor, dLogvar: Tensor) -> Tensor? {
        guard let x = input else { preconditionFailure("FAEEncoder.backward before forward") }
        let b = x.dim(0), n = x.dim(1), d = config.latentChannels
        // (B, N, 2d) = [dMean | dLogvar]; narrow's backward scatters each half without an array
        // of inputs (which concat would allocate every step).
        let dOut = dOutSlot.tensor(b, n, 2 * d)
        dOut.zero()
        Ops.narrowBackward(dy: dMean, axis: 2, start: 0, dx: dOut)
        Ops.narrowBackward(dy: dLogvar, axis: 2, start: d, dx: dOut)
        switch config.encoderKind {
        case .linear:
            return projection.backward(dOut)
        case .attention, .transformer3:
            guard let h = body else { preconditionFailure("FAEEncoder.backward before forward") }
            let dA = projection.backward(dOut)!                              // (B, N, C)
            let dh = dBodySlot.tensor(like: h)
            Ops.activationBackward(.gelu, dy: dA, x: h, dx: dh, accumulate: false)
            return bodyBackward(dh, x: x)
        }
    }

    private func bodyForward(_ x: Tensor) -> Tensor {
        if let attention {
            let a = attention.forward(preNorm?.forward(x) ?? x)
            let h = residualSlot.tensor(like: x)
            Ops.addForward(x, a, y: h)
            return h
        }
        return blocks.forward(x)
    }

    private func bodyBackward(_ dh: Tensor, x: Tensor) -> Tensor? {
        if let attention {
            let dAttnIn = attention.backward(dh)
            guard needsInputGradient, let dAttnIn else { return nil }
            let dx = dxSlot.tensor(like: x)
            dx.copy(from: dh)                                             // residual path
            if let preNorm { preNorm.backward(dAttnIn, dx: dx, accumulate: true) } else { Ops.accumulate(dAttnIn, into: dx) }
            return dx
        }
        let g = blocks.backward(dh)
        return needsInputGradient ? g : nil
    }

    /// The first layer that reads the features skips computing their gradient unless asked;
    /// with a pre-norm the attention still needs its input gradient for the norm's weight.
    private func configureInputGradients() {
        attention?.needsInputGradient = needsInputGradient || preNorm != nil
        if config.encoderKind == .linear { projection.needsInputGradient = needsInputGradient }
    }
}
