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
        // Checked here, where a config.json enters, before anything is sized from it.
        try validate()
    }

    /// Image tokens per sample (N).
    public var imageTokens: Int { gridHeight * gridWidth }
    public var headDim: Int { width / max(heads, 1) }
    /// SwiGLU hidden width; 0 when mlp_ratio is not a usable number (`validate` refuses it).
    public var mlpHidden: Int {
        let hidden = (mlpRatio * Double(width)).rounded()
        return hidden.isFinite && hidden >= 0 && hidden < Double(Int.max) ? Int(hidden) : 0
    }
}

extension MMDiTConfig {
    /// Throws `ModelError.unsupportedConfiguration` naming the first key out of range (sizes
    /// within `ConfigLimits`, finite positive numbers, shapes the model can build, parameter memory).
    public func validate() throws {
        let v = ConfigValidation.self, limit = ConfigLimits.self
        try v.size("width", width, max: limit.maxWidth)
        try v.size("depth", depth, max: limit.maxDepth)
        try v.size("heads", heads, max: limit.maxHeads)
        try v.multiple("width", width, of: "heads", heads)
        guard headDim % 4 == 0 else {
            throw v.failure("width / heads = \(headDim) must be a multiple of 4 (2D RoPE rotates two halves of pairs)")
        }
        try v.size("latent_channels", latentChannels, max: limit.maxChannels)
        try v.size("grid_height", gridHeight, max: limit.maxGridSide)
        try v.size("grid_width", gridWidth, max: limit.maxGridSide)
        try v.product([("grid_height", gridHeight), ("grid_width", gridWidth)], max: limit.maxTokens)
        try v.size("patch_size", patchSize, min: 1, max: 1)
        try v.size("text_width", textWidth, max: limit.maxWidth)
        try v.size("max_text_tokens", maxTextTokens, max: limit.maxTextTokens)
        try v.size("grid_height * grid_width + max_text_tokens", imageTokens + maxTextTokens, max: limit.maxTokens)
        try v.number("mlp_ratio", mlpRatio, min: 0, max: limit.maxMLPRatio, exclusiveMin: true)
        try v.size("mlp_ratio * width", mlpHidden, max: limit.maxWidth)
        try v.size("timestep_embedding_dim", timestepEmbeddingDim, min: 2, max: limit.maxWidth)
        guard timestepEmbeddingDim % 2 == 0 else {
            throw v.failure("timestep_embedding_dim = \(timestepEmbeddingDim) must be even (sin and cos halves)")
        }
        try v.number("timestep_scale", timestepScale, min: 0, max: limit.maxTimestepScale, exclusiveMin: true)
        try v.number("rope_theta", ropeTheta, min: limit.minRoPETheta, max: limit.maxRoPETheta)
        try v.number("norm_epsilon", normEpsilon, min: limit.minEpsilon, max: limit.maxEpsilon)
        try v.memory(parameters: parameterCount, tableValues: imageTokens * headDim,
                     sizes: "width = \(width), depth = \(depth), mlp_ratio = \(mlpRatio)", part: ModelLayout.generatorFolder)
    }

    /// Values of every parameter (`MMDiT.namedParameters`), as in model.safetensors.
    public var parameterCount: Int {
        let w = width, h = mlpHidden
        var n = ParameterTally()
        n.add(latentChannels, w); n.add(w)                                   // x_embedder
        n.add(textWidth, w); n.add(w)                                        // context_embedder
        if textPositions { n.add(maxTextTokens, w) }
        n.add(timestepEmbeddingDim, w); n.add(w); n.add(w, w); n.add(w)      // t_embedder
        n.add(textWidth, w); n.add(w)                                        // y_embedder
        var stream = ParameterTally()                                        // a full stream
        stream.add(6, w, w); stream.add(6, w)                                // adaLN modulation
        stream.add(3, w, w); stream.add(3, w)                                // qkv
        stream.add(w, w); stream.add(w)                                      // proj
        stream.add(3, w, h)                                                  // SwiGLU, no biases
        var contextOnly = ParameterTally()                                   // the last text stream
        contextOnly.add(2, w, w); contextOnly.add(2, w)
        contextOnly.add(3, w, w); contextOnly.add(3, w)
        n.add(stream, times: depth)                                          // image streams
        n.add(stream, times: max(depth - 1, 0))                              // text streams
        n.add(contextOnly, times: depth > 0 ? 1 : 0)
        n.add(2, w, w); n.add(2, w)                                          // final adaLN
        n.add(w, latentChannels); n.add(latentChannels)                      // final linear
        return n.total
    }
}
