import TensorEngine

/// Configuration of the FAE autoencoder (one `config.json` shared by the encoder, the feature
/// decoder and the pixel decoder). Defaults are the shipped model's sizes
/// for 64x64 shapes-world images (docs/fae-model.md): 192-wide encoder features on an 8x8 token grid, d = 16, a 3-block feature
/// decoder, and a width-256 depth-2 pixel decoder with a 32-channel map and two 3x3 convolutions
/// (docs/experiments.md: at width 128 with a 16-channel map the decoder, not the encoder, was the limit).
public struct FAEConfig: Codable, Equatable, Sendable {
    /// Input feature width C (the frozen visual encoder's hidden size).
    public var encoderWidth: Int = 192
    /// Attention heads of the FAE encoder; heads * headDim may exceed C ("wide heads").
    public var encoderHeads: Int = 4
    public var encoderHeadDim: Int = 128
    public var encoderKind: FAEEncoderKind = .attention
    /// RMSNorm before the encoder's attention. The paper shows none; off by default.
    public var encoderPreNorm: Bool = false
    /// Latent channels d per token.
    public var latentChannels: Int = 16
    public var featureDecoderWidth: Int = 192
    public var featureDecoderDepth: Int = 3
    public var featureDecoderHeads: Int = 3
    public var pixelDecoderWidth: Int = 256
    public var pixelDecoderDepth: Int = 2
    public var pixelDecoderHeads: Int = 4
    /// Channels k of the reassembled (B, k, H, W) map that the two convolutions read.
    public var pixelDecoderMapChannels: Int = 32
    /// Feed-forward width = mlpRatio x block width (SwiGLU: two thirds of it, rounded up to 8).
    public var mlpRatio: Int = 4
    public var patchSize: Int = 8
    public var imageSize: Int = 64
    public var imageChannels: Int = 3
    public var normEps: Float = 1e-6
    public var ropeTheta: Float = 100
    public var modelType: String = "fae"

    enum CodingKeys: String, CodingKey {
        case encoderWidth = "encoder_width"
        case encoderHeads = "encoder_heads"
        case encoderHeadDim = "encoder_head_dim"
        case encoderKind = "encoder_kind"
        case encoderPreNorm = "encoder_pre_norm"
        case latentChannels = "latent_channels"
        case featureDecoderWidth = "feature_decoder_width"
        case featureDecoderDepth = "feature_decoder_depth"
        case featureDecoderHeads = "feature_decoder_heads"
        case pixelDecoderWidth = "pixel_decoder_width"
        case pixelDecoderDepth = "pixel_decoder_depth"
        case pixelDecoderHeads = "pixel_decoder_heads"
        case pixelDecoderMapChannels = "pixel_decoder_map_channels"
        case mlpRatio = "mlp_ratio"
        case patchSize = "patch_size"
        case imageSize = "image_size"
        case imageChannels = "image_channels"
        case normEps = "norm_eps"
        case ropeTheta = "rope_theta"
        case modelType = "model_type"
    }

    public init() {}

    /// Missing keys take the defaults above; the decoded values are validated (`ModelError`).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FAEConfig()
        encoderWidth = try c.decodeIfPresent(Int.self, forKey: .encoderWidth) ?? d.encoderWidth
        encoderHeads = try c.decodeIfPresent(Int.self, forKey: .encoderHeads) ?? d.encoderHeads
        encoderHeadDim = try c.decodeIfPresent(Int.self, forKey: .encoderHeadDim) ?? d.encoderHeadDim
        encoderKind = try c.decodeIfPresent(FAEEncoderKind.self, forKey: .encoderKind) ?? d.encoderKind
        encoderPreNorm = try c.decodeIfPresent(Bool.self, forKey: .encoderPreNorm) ?? d.encoderPreNorm
        latentChannels = try c.decodeIfPresent(Int.self, forKey: .latentChannels) ?? d.latentChannels
        featureDecoderWidth = try c.decodeIfPresent(Int.self, forKey: .featureDecoderWidth) ?? d.featureDecoderWidth
        featureDecoderDepth = try c.decodeIfPresent(Int.self, forKey: .featureDecoderDepth) ?? d.featureDecoderDepth
        featureDecoderHeads = try c.decodeIfPresent(Int.self, forKey: .featureDecoderHeads) ?? d.featureDecoderHeads
        pixelDecoderWidth = try c.decodeIfPresent(Int.self, forKey: .pixelDecoderWidth) ?? d.pixelDecoderWidth
        pixelDecoderDepth = try c.decodeIfPresent(Int.self, forKey: .pixelDecoderDepth) ?? d.pixelDecoderDepth
        pixelDecoderHeads = try c.decodeIfPresent(Int.self, forKey: .pixelDecoderHeads) ?? d.pixelDecoderHeads
        pixelDecoderMapChannels = try c.decodeIfPresent(Int.self, forKey: .pixelDecoderMapChannels) ?? d.pixelDecoderMapChannels
        mlpRatio = try c.decodeIfPresent(Int.self, forKey: .mlpRatio) ?? d.mlpRatio
        patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize) ?? d.patchSize
        imageSize = try c.decodeIfPresent(Int.self, forKey: .imageSize) ?? d.imageSize
        imageChannels = try c.decodeIfPresent(Int.self, forKey: .imageChannels) ?? d.imageChannels
        normEps = try c.decodeIfPresent(Float.self, forKey: .normEps) ?? d.normEps
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? d.ropeTheta
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? d.modelType
        // Checked here, where a config.json enters, before any part is sized from it.
        try validate()
    }

    /// Tokens per side of the patch grid (image_size / patch_size).
    public var gridSize: Int { imageSize / patchSize }
    public var tokens: Int { gridSize * gridSize }
    public var featureDecoderHeadDim: Int { featureDecoderWidth / featureDecoderHeads }
    public var pixelDecoderHeadDim: Int { pixelDecoderWidth / pixelDecoderHeads }
    /// Values per token that the pixel decoder's output projection produces: k * p * p.
    public var pixelDecoderTokenOutputs: Int { pixelDecoderMapChannels * patchSize * patchSize }

    /// Whether two parts exchange features of the same width on the same token grid; each part's
    /// own size fields (e.g. the pixel decoder's width) may differ.
    public func sharesFeatureInterface(with other: FAEConfig) -> Bool {
        encoderWidth == other.encoderWidth && patchSize == other.patchSize && imageSize == other.imageSize
    }

    /// SwiGLU hidden width for a block of `width`: (int(width * mlpRatio * 2/3) + 7) / 8 * 8.
    public func swigluHidden(_ width: Int) -> Int { (width * mlpRatio * 2 / 3 + 7) / 8 * 8 }

    /// Why this configuration cannot be built, or nil (the message of `validate()`).
    public var problem: String? {
        do {
            try validate()
            return nil
        } catch let error as ModelError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}

extension FAEConfig {
    /// Throws `ModelError.unsupportedConfiguration` naming the first key out of range: sizes
    /// within `ConfigLimits`, finite positive numbers, shapes the parts can build, and the memory
    /// of each part (encoder, feature decoder, pixel decoder), since any of them may be built from it.
    public func validate() throws {
        let v = ConfigValidation.self, limit = ConfigLimits.self
        try v.size("encoder_width", encoderWidth, max: limit.maxWidth)
        try v.size("encoder_heads", encoderHeads, max: limit.maxHeads)
        try v.size("encoder_head_dim", encoderHeadDim, max: limit.maxWidth)
        try v.product([("encoder_heads", encoderHeads), ("encoder_head_dim", encoderHeadDim)], max: limit.maxWidth)
        try v.size("latent_channels", latentChannels, max: limit.maxChannels)
        try v.size("mlp_ratio", mlpRatio, max: Int(limit.maxMLPRatio))
        for (name, width, depth, heads) in [(ModelLayout.featureDecoderFolder, featureDecoderWidth, featureDecoderDepth, featureDecoderHeads),
                                            (ModelLayout.pixelDecoderFolder, pixelDecoderWidth, pixelDecoderDepth, pixelDecoderHeads)] {
            try v.size("\(name)_width", width, max: limit.maxWidth)
            try v.size("\(name)_depth", depth, min: 0, max: limit.maxDepth)
            try v.size("\(name)_heads", heads, max: limit.maxHeads)
            try v.multiple("\(name)_width", width, of: "\(name)_heads", heads)
            // 2D RoPE rotates two quarter-head halves, one per grid axis.
            guard (width / heads) % 4 == 0 else {
                throw v.failure("\(name)_width / \(name)_heads = \(width / heads) must be a multiple of 4 (2D RoPE)")
            }
            try v.product([("\(name)_width", width), ("mlp_ratio", mlpRatio)], max: limit.maxWidth)
        }
        try v.product([("encoder_width", encoderWidth), ("mlp_ratio", mlpRatio)], max: limit.maxWidth)
        try v.size("pixel_decoder_map_channels", pixelDecoderMapChannels, max: limit.maxChannels)
        try v.size("patch_size", patchSize, max: limit.maxPatchSize)
        try v.size("image_size", imageSize, max: limit.maxImageSide)
        try v.size("image_channels", imageChannels, max: limit.maxChannels)
        try v.multiple("image_size", imageSize, of: "patch_size", patchSize)
        try v.size("image_size / patch_size", gridSize, max: limit.maxGridSide)
        try v.product([("(image_size / patch_size)", gridSize), ("(image_size / patch_size)", gridSize)], max: limit.maxTokens)
        // The pixel decoder's output projection: k * p * p values per token.
        try v.product([("pixel_decoder_map_channels", pixelDecoderMapChannels), ("patch_size", patchSize), ("patch_size", patchSize)],
                      max: limit.maxWidth)
        try v.number("norm_eps", Double(normEps), min: limit.minEpsilon, max: limit.maxEpsilon)
        try v.number("rope_theta", Double(ropeTheta), min: limit.minRoPETheta, max: limit.maxRoPETheta)
        try v.memory(parameters: encoderParameterCount,
                     sizes: "encoder_width = \(encoderWidth), encoder_heads = \(encoderHeads), encoder_head_dim = \(encoderHeadDim)",
                     part: "FAE encoder")
        try v.memory(parameters: featureDecoderParameterCount, tableValues: tokens * featureDecoderHeadDim,
                     sizes: "feature_decoder_width = \(featureDecoderWidth), feature_decoder_depth = \(featureDecoderDepth)",
                     part: "feature decoder")
        try v.memory(parameters: pixelDecoderParameterCount, tableValues: tokens * pixelDecoderHeadDim,
                     sizes: "pixel_decoder_width = \(pixelDecoderWidth), pixel_decoder_depth = \(pixelDecoderDepth)",
                     part: "pixel decoder")
    }

    /// Values of every parameter of the FAE encoder (`FAEEncoder.namedParameters`).
    public var encoderParameterCount: Int {
        let c = encoderWidth, inner = encoderHeads * encoderHeadDim
        var n = ParameterTally()
        switch encoderKind {
        case .attention:
            if encoderPreNorm { n.add(c) }
            n.add(3, inner, c); n.add(3, inner); n.add(c, inner); n.add(c)   // q/k/v/out with biases
        case .linear:
            break
        case .transformer3:
            var block = ParameterTally()
            block.add(c); block.add(4, inner, c); block.add(c); block.add(3, c, swigluHidden(c))
            n.add(block, times: 3)
        }
        n.add(c, 2 * latentChannels); n.add(2 * latentChannels)               // proj
        return n.total
    }

    /// Values of every parameter of the feature decoder (`FeatureDecoder.namedParameters`).
    public var featureDecoderParameterCount: Int {
        let w = featureDecoderWidth
        var n = ParameterTally(), block = ParameterTally()
        n.add(latentChannels, w); n.add(w)                                    // input_proj
        block.add(w); block.add(4, w, w); block.add(w); block.add(3, w, swigluHidden(w))
        n.add(block, times: featureDecoderDepth)
        n.add(w)                                                              // norm
        n.add(w, encoderWidth); n.add(encoderWidth)                           // output_proj
        return n.total
    }

    /// Values of every parameter of the pixel decoder (`PixelDecoder.namedParameters`).
    public var pixelDecoderParameterCount: Int {
        let w = pixelDecoderWidth, hidden = w * mlpRatio, k = pixelDecoderMapChannels
        var n = ParameterTally(), block = ParameterTally()
        n.add(encoderWidth, w); n.add(w)                                      // input_proj
        block.add(2, w); block.add(4, w, w); block.add(4, w); block.add(2, w) // norms, attention
        block.add(2, w, hidden); block.add(hidden); block.add(w)              // GELU MLP
        n.add(block, times: pixelDecoderDepth)
        n.add(2, w)                                                           // norm
        n.add(w, k, patchSize, patchSize); n.add(k, patchSize, patchSize)    // output_proj
        n.add(k, k, 9); n.add(k)                                              // conv1
        n.add(imageChannels, k, 9); n.add(imageChannels)                      // conv2
        return n.total
    }
}
