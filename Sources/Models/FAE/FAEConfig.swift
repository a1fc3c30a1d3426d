import TensorEngine

/// Configuration of the FAE autoencoder (one `config.json` shared by the encoder, the feature
/// decoder and the pixel decoder). Defaults are the shapes-64 sizes of design.md section 6 and the
/// round-2 calibration: 192-wide encoder features on an 8x8 token grid, d = 16, a 3-block feature
/// decoder, and a width-256 depth-2 pixel decoder with a 32-channel map and two 3x3 convolutions
/// (docs/training.md: at width 128 with a 16-channel map the decoder, not the encoder, was the limit).
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

    /// Missing keys take the defaults above; the decoded values are validated.
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
        if let problem = problem {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: problem))
        }
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

    /// Why this configuration cannot be built, or nil.
    public var problem: String? {
        let positive: [(String, Int)] = [
            ("encoder_width", encoderWidth), ("encoder_heads", encoderHeads), ("encoder_head_dim", encoderHeadDim),
            ("latent_channels", latentChannels), ("feature_decoder_width", featureDecoderWidth),
            ("feature_decoder_heads", featureDecoderHeads), ("pixel_decoder_width", pixelDecoderWidth),
            ("pixel_decoder_heads", pixelDecoderHeads), ("pixel_decoder_map_channels", pixelDecoderMapChannels),
            ("mlp_ratio", mlpRatio), ("patch_size", patchSize), ("image_size", imageSize), ("image_channels", imageChannels),
        ]
        if let bad = positive.first(where: { $0.1 <= 0 }) { return "\(bad.0) must be positive, got \(bad.1)" }
        if featureDecoderDepth < 0 || pixelDecoderDepth < 0 { return "decoder depths must not be negative" }
        if imageSize % patchSize != 0 { return "image_size \(imageSize) must be a multiple of patch_size \(patchSize)" }
        // 2D RoPE rotates two quarter-head halves, one per grid axis.
        for (name, width, heads) in [("feature_decoder", featureDecoderWidth, featureDecoderHeads),
                                     ("pixel_decoder", pixelDecoderWidth, pixelDecoderHeads)] {
            if width % heads != 0 || (width / heads) % 4 != 0 {
                return "\(name)_width \(width) / \(name)_heads \(heads) must give a head dim that is a multiple of 4"
            }
        }
        return nil
    }

    /// Throws `ModelError.unsupportedConfiguration` naming the problem.
    public func validate() throws {
        if let problem { throw ModelError(.unsupportedConfiguration, "invalid FAE config: \(problem)") }
    }
}
