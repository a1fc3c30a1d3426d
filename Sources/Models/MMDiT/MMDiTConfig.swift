/// Configuration of the MMDiT generator (config.json, snake_case keys). Defaults are the issue's
/// suggested shapes-64 size: width 128, depth 4, 64 image tokens (8x8 FAE grid), d = 16, 12 text tokens.
public struct MMDiTConfig: Codable, Equatable, Sendable {
    /// Hidden width of both streams.
    public var width: Int = 128
    public var depth: Int = 4
    public var heads: Int = 4
    /// Latent channels per image token (the FAE's d).
    public var latentChannels: Int = 16
    /// Image token grid (the FAE latent grid).
    public var gridHeight: Int = 8
    public var gridWidth: Int = 8
    /// Latent tokens per image token side; only 1 (one image token per FAE token) is supported.
    public var patchSize: Int = 1
    /// Width of the text encoder's hidden states (T5 d_model).
    public var textWidth: Int = 128
    /// Longest text sequence the model accepts.
    public var maxTextTokens: Int = 12
    /// SwiGLU hidden width = mlpRatio * width.
    public var mlpRatio: Double = 4
    /// Width of the sinusoidal timestep embedding fed to the timestep MLP.
    public var timestepEmbeddingDim: Int = 256
    /// Timesteps t in [0, 1] are multiplied by this before the sinusoidal embedding (as SD3 does
    /// with 1000 training steps), so the frequencies resolve small changes of t.
    public var timestepScale: Double = 1000
    public var ropeTheta: Double = 10000
    /// Adds a learned position embedding (max_text_tokens, width) to the text stream. The image
    /// tokens carry 2D RoPE, but without this the generator sees the text as a set of vectors and must
    /// rely on the text encoder to say which colour goes with which shape and which object comes first.
    /// Absent in older checkpoints (false).
    public var textPositions: Bool = false
    public var normEpsilon: Double = 1e-6
    public var modelType: String = "mmdit"

    enum CodingKeys: String, CodingKey {
        case width, depth, heads
        case latentChannels = "latent_channels"
        case gridHeight = "grid_height"
        case gridWidth = "grid_width"
        case patchSize = "patch_size"
        case textWidth = "text_width"
        case maxTextTokens = "max_text_tokens"
        case mlpRatio = "mlp_ratio"
        case timestepEmbeddingDim = "timestep_embedding_dim"
        case timestepScale = "timestep_scale"
        case ropeTheta = "rope_theta"
        case textPositions = "text_positions"
        case normEpsilon = "norm_epsilon"
        case modelType = "model_type"
    }

    public init(width: Int = 128, depth: Int = 4, heads: Int = 4, latentChannels: Int = 16, gridHeight: Int = 8,
                gridWidth: Int = 8, textWidth: Int = 128, maxTextTokens: Int = 12, mlpRatio: Double = 4,
                timestepEmbeddingDim: Int = 256, textPositions: Bool = false) {
        self.width = width; self.depth = depth; self.heads = heads; self.latentChannels = latentChannels
        self.gridHeight = gridHeight; self.gridWidth = gridWidth; self.textWidth = textWidth
        self.maxTextTokens = maxTextTokens; self.mlpRatio = mlpRatio; self.timestepEmbeddingDim = timestepEmbeddingDim
        self.textPositions = textPositions
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = MMDiTConfig()
        width = try c.decodeIfPresent(Int.self, forKey: .width) ?? d.width
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? d.depth
        heads = try c.decodeIfPresent(Int.self, forKey: .heads) ?? d.heads
        latentChannels = try c.decodeIfPresent(Int.self, forKey: .latentChannels) ?? d.latentChannels
        gridHeight = try c.decodeIfPresent(Int.self, forKey: .gridHeight) ?? d.gridHeight
        gridWidth = try c.decodeIfPresent(Int.self, forKey: .gridWidth) ?? d.gridWidth
        patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize) ?? d.patchSize
        textWidth = try c.decodeIfPresent(Int.self, forKey: .textWidth) ?? d.textWidth
        maxTextTokens = try c.decodeIfPresent(Int.self, forKey: .maxTextTokens) ?? d.maxTextTokens
        mlpRatio = try c.decodeIfPresent(Double.self, forKey: .mlpRatio) ?? d.mlpRatio
        timestepEmbeddingDim = try c.decodeIfPresent(Int.self, forKey: .timestepEmbeddingDim) ?? d.timestepEmbeddingDim
        timestepScale = try c.decodeIfPresent(Double.self, forKey: .timestepScale) ?? d.timestepScale
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? d.ropeTheta
        textPositions = try c.decodeIfPresent(Bool.self, forKey: .textPositions) ?? d.textPositions
        normEpsilon = try c.decodeIfPresent(Double.self, forKey: .normEpsilon) ?? d.normEpsilon
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? d.modelType
    }

    /// Image tokens per sample (N).
    public var imageTokens: Int { gridHeight * gridWidth }
    public var headDim: Int { width / max(heads, 1) }
    public var mlpHidden: Int { Int((mlpRatio * Double(width)).rounded()) }

    /// Throws `ModelError.unsupportedConfiguration` for shapes the model cannot build.
    public func validate() throws {
        func fail(_ m: String) -> ModelError { ModelError(.unsupportedConfiguration, "MMDiT config: \(m)") }
        guard width > 0, depth > 0, heads > 0, latentChannels > 0, textWidth > 0, maxTextTokens > 0,
              gridHeight > 0, gridWidth > 0, timestepEmbeddingDim > 0, mlpHidden > 0 else { throw fail("sizes must be positive") }
        guard patchSize == 1 else { throw fail("patch_size \(patchSize) unsupported (only 1)") }
        guard width % heads == 0 else { throw fail("width \(width) not divisible by \(heads) heads") }
        guard headDim % 4 == 0 else { throw fail("head dim \(headDim) must be a multiple of 4 (2D RoPE)") }
        guard timestepEmbeddingDim % 2 == 0 else { throw fail("timestep_embedding_dim must be even") }
    }
}
