import TensorEngine

/// The FAE pixel decoder: feature tokens (B, N, C) -> image (B, 3, H, W).
///
/// Linear C -> width, `pixel_decoder_depth` ViT blocks (LayerNorm, GELU MLP, 2D RoPE over the
/// token grid), LayerNorm, linear to k*p*p values per token, reassembled into a (B, k, H, W) map,
/// then conv3x3 -> GELU -> conv3x3 to the image channels. The convolutions see across patch borders,
/// which removes the seams a token -> patch head leaves (docs/fae-model.md). Keys: `input_proj.*`,
/// `blocks.{i}.*`, `norm.*`, `output_proj.*`, `conv1.*`, `conv2.*`.
public final class PixelDecoder: FAEComponent {
    public let config: FAEConfig
    public let inputProjection: Linear
    public let blocks: [TransformerBlock]
    public let norm: LayerNorm
    public let outputProjection: Linear
    public let conv1: Conv2d, conv2: Conv2d
    /// Whether `backward` returns d features (false: stage Ia/II train on given features).
    public var needsInputGradient = false {
        didSet { inputProjection.needsInputGradient = needsInputGradient }
    }

    private var output: Tensor?, hidden: Tensor?
    private let mapSlot = TensorSlot(), activationSlot = TensorSlot()
    private let dHiddenSlot = TensorSlot(), dTokensSlot = TensorSlot(), dNormSlot = TensorSlot()

    public init(config: FAEConfig) throws {
        try config.validate()
        self.config = config
        let w = config.pixelDecoderWidth, k = config.pixelDecoderMapChannels
        inputProjection = Linear(config.encoderWidth, w)
        inputProjection.needsInputGradient = false
        blocks = try config.gridRoPEBlocks(config.pixelDecoderBlock, depth: config.pixelDecoderDepth,
                                           headDim: config.pixelDecoderHeadDim)
        norm = LayerNorm(w, eps: config.normEps)
        outputProjection = Linear(w, config.pixelDecoderTokenOutputs)
        conv1 = Conv2d(k, k)
        conv2 = Conv2d(k, config.imageChannels)
        initialize(seed: 0)
    }

    public static func parameterCount(_ config: FAEConfig) -> Int { config.pixelDecoderParameterCount }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = inputProjection.namedParameters(prefix: prefix + "input_proj.")
        r += blocks.namedParameters(prefix: prefix + "blocks.")
        r += norm.namedParameters(prefix: prefix + "norm.")
        r += outputProjection.namedParameters(prefix: prefix + "output_proj.")
        r += conv1.namedParameters(prefix: prefix + "conv1.")
        r += conv2.namedParameters(prefix: prefix + "conv2.")
        return r
    }

    /// PyTorch default init for linear and conv layers; LayerNorm weight 1, bias 0.
    public func initialize(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        inputProjection.initialize(&rng)
        for block in blocks { block.initialize(&rng) }
        outputProjection.initialize(&rng)
        conv1.initialize(&rng)
        conv2.initialize(&rng)
        for (key, p) in namedParameters(prefix: "") where key.contains("norm") {
            p.value.fill(key.hasSuffix("weight") ? 1 : 0)
        }
    }

    /// features (B, N, C), N = (image_size / patch_size)^2 -> image (B, image_channels, H, W).
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.dim(1) == config.tokens && x.dim(2) == config.encoderWidth,
                     "pixel decoder expects (B, \(config.tokens), \(config.encoderWidth)), got \(x.shape)")
        let b = x.dim(0), k = config.pixelDecoderMapChannels, s = config.imageSize, g = config.gridSize
        let h = blocks.forward(inputProjection.forward(x))                // (B, N, W)
        let tokens = outputProjection.forward(norm.forward(h))            // (B, N, k*p*p)
        let map = mapSlot.tensor(b, k, s, s)                              // (B, k, H, W)
        Ops.unpatchifyForward(tokens, channels: k, patch: config.patchSize, gridHeight: g, gridWidth: g, map: map)
        let c1 = conv1.forward(map)                                       // (B, k, H, W)
        hidden = c1
        let a = activationSlot.tensor(c1.shape)
        Ops.activationForward(.gelu, x: c1, y: a)
        let y = conv2.forward(a)                                          // (B, 3, H, W)
        output = y
        return y
    }

    /// Accumulates parameter gradients; returns d features (B, N, C) when `needsInputGradient`.
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard let y = output, let c1 = hidden else { preconditionFailure("PixelDecoder.backward before forward") }
        precondition(dy.shape == y.shape, "gradient \(dy.shape) does not match the output \(y.shape)")
        let k = config.pixelDecoderMapChannels, g = config.gridSize
        let dA = conv2.backward(dy)!
        let dC1 = dHiddenSlot.tensor(c1.shape)
        Ops.activationBackward(.gelu, dy: dA, x: c1, dx: dC1, accumulate: false)
        let dMap = conv1.backward(dC1)!                                   // (B, k, H, W)
        let dTokens = dTokensSlot.tensor(y.dim(0), config.tokens, config.pixelDecoderTokenOutputs)
        Ops.unpatchifyBackward(dMap: dMap, channels: k, patch: config.patchSize, gridHeight: g, gridWidth: g, dTokens: dTokens)
        let dNormOut = outputProjection.backward(dTokens)!                // (B, N, W)
        let dh = dNormSlot.tensor(like: dNormOut)
        norm.backward(dNormOut, dx: dh, accumulate: false)
        return inputProjection.backward(blocks.backward(dh))
    }
}
