import TensorEngine

/// The FAE feature decoder: latent z (B, N, d) -> reconstructed encoder features x_hat (B, N, C).
///
/// Linear d -> width, `feature_decoder_depth` pre-norm blocks (RMSNorm, 2D RoPE over the token
/// grid, SwiGLU), a final RMSNorm and a linear map to the encoder width. Trained with plain L2 so
/// x_hat can stand in for the original features. Keys: `input_proj.*`, `blocks.{i}.*`, `norm.weight`,
/// `output_proj.*`.
public final class FeatureDecoder: FAEComponent {
    public let config: FAEConfig
    public let inputProjection: Linear
    public let blocks: [TransformerBlock]
    public let norm: RMSNorm
    public let outputProjection: Linear
    /// Whether `backward` returns d z (true: the encoder trains through it).
    public var needsInputGradient = true {
        didSet { inputProjection.needsInputGradient = needsInputGradient }
    }

    private var output: Tensor?
    private let dNormSlot = TensorSlot()

    public init(config: FAEConfig) throws {
        try config.validate()
        self.config = config
        let w = config.featureDecoderWidth
        inputProjection = Linear(config.latentChannels, w)
        let headDim = config.featureDecoderHeadDim
        blocks = try config.gridRoPEBlocks(config.llamaBlock(width: w, heads: config.featureDecoderHeads, headDim: headDim),
                                           depth: config.featureDecoderDepth, headDim: headDim)
        norm = RMSNorm(w, eps: config.normEps)
        outputProjection = Linear(w, config.encoderWidth)
        initialize(seed: 0)
    }

    public static func parameterCount(_ config: FAEConfig) -> Int { config.featureDecoderParameterCount }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = inputProjection.namedParameters(prefix: prefix + "input_proj.")
        r += blocks.namedParameters(prefix: prefix + "blocks.")
        r += norm.namedParameters(prefix: prefix + "norm.")
        r += outputProjection.namedParameters(prefix: prefix + "output_proj.")
        return r
    }

    /// PyTorch default init for linear layers; norm weights 1.
    public func initialize(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        inputProjection.initialize(&rng)
        for block in blocks { block.initialize(&rng) }
        outputProjection.initialize(&rng)
        for (key, p) in namedParameters(prefix: "") where key.hasSuffix("norm.weight") || key.hasSuffix("norm1.weight")
            || key.hasSuffix("norm2.weight") { p.value.fill(1) }
    }

    /// z (B, N, d) with N = (image_size / patch_size)^2 -> x_hat (B, N, C) in a decoder-owned buffer.
    public func forward(_ z: Tensor) -> Tensor {
        precondition(z.rank == 3 && z.dim(1) == config.tokens && z.dim(2) == config.latentChannels,
                     "feature decoder expects (B, \(config.tokens), \(config.latentChannels)), got \(z.shape)")
        let h = blocks.forward(inputProjection.forward(z))                // (B, N, W)
        let y = outputProjection.forward(norm.forward(h))                 // (B, N, C)
        output = y
        return y
    }

    /// Accumulates parameter gradients; returns d z (B, N, d) when `needsInputGradient`, else nil.
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard let y = output else { preconditionFailure("FeatureDecoder.backward before forward") }
        precondition(dy.shape == y.shape, "gradient \(dy.shape) does not match the output \(y.shape)")
        let dNormOut = outputProjection.backward(dy)!                     // (B, N, W)
        let g = dNormSlot.tensor(like: dNormOut)
        norm.backward(dNormOut, dx: g, accumulate: false)
        return inputProjection.backward(blocks.backward(g))
    }
}
