/// Configuration of `TransformerFlow`, the normalizing-flow generator (config.json, snake_case keys,
/// "model_type": "tarflow"). A stack of autoregressive affine blocks over the latent's tokens, after
/// TARFlow and STARFlow: one deep block that reads the text and runs first when sampling, then
/// shallow blocks without text; the token order alternates from block to block.
public struct FlowConfig: Codable, Equatable, Sendable {
    /// Latent channels per token (the FAE's d) and the token grid (the FAE latent grid).
    public var latentChannels: Int = 16
    public var gridHeight: Int = 8
    public var gridWidth: Int = 8
    /// Transformer width and heads of every block.
    public var width: Int = 128
    public var heads: Int = 4
    /// GELU MLP hidden width = mlpRatio * width.
    public var mlpRatio: Int = 4
    /// Transformer layers of the deep block, the one that reads the text.
    public var deepLayers: Int = 4
    /// Blocks after the deep one (when sampling) and their layers each.
    public var shallowBlocks: Int = 3
    public var shallowLayers: Int = 1
    /// Width of the text encoder's hidden states (T5 d_model) and the longest text it accepts.
    public var textWidth: Int = 128
    public var maxTextTokens: Int = 32
    /// Log-scales are soft-clipped to (-bound, bound) by bound * tanh(a / bound), so one token
    /// cannot blow the log-determinant up early in training.
    public var logScaleBound: Double = 4
    /// Standard deviation of the Gaussian noise added to the (standardised) training latents, as
    /// TARFlow and STARFlow train; sampling removes it with one score step (Tweedie's formula).
    public var noiseScale: Double = 0.3
    public var normEpsilon: Double = 1e-6
    public var modelType: String = Self.modelTypeName

    public static let modelTypeName = "tarflow"

    enum CodingKeys: String, CodingKey {
        case latentChannels = "latent_channels"
        case gridHeight = "grid_height"
        case gridWidth = "grid_width"
        case width, heads
        case mlpRatio = "mlp_ratio"
        case deepLayers = "deep_layers"
        case shallowBlocks = "shallow_blocks"
        case shallowLayers = "shallow_layers"
        case textWidth = "text_width"
        case maxTextTokens = "max_text_tokens"
        case logScaleBound = "log_scale_bound"
        case noiseScale = "noise_scale"
        case normEpsilon = "norm_epsilon"
        case modelType = "model_type"
    }

    public init(latentChannels: Int = 16, gridHeight: Int = 8, gridWidth: Int = 8, width: Int = 128, heads: Int = 4,
                deepLayers: Int = 4, shallowBlocks: Int = 3, shallowLayers: Int = 1, textWidth: Int = 128, maxTextTokens: Int = 32) {
        self.latentChannels = latentChannels; self.gridHeight = gridHeight; self.gridWidth = gridWidth
        self.width = width; self.heads = heads
        self.deepLayers = deepLayers; self.shallowBlocks = shallowBlocks; self.shallowLayers = shallowLayers
        self.textWidth = textWidth; self.maxTextTokens = maxTextTokens
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = FlowConfig()
        latentChannels = try c.decodeIfPresent(Int.self, forKey: .latentChannels) ?? d.latentChannels
        gridHeight = try c.decodeIfPresent(Int.self, forKey: .gridHeight) ?? d.gridHeight
        gridWidth = try c.decodeIfPresent(Int.self, forKey: .gridWidth) ?? d.gridWidth
        width = try c.decodeIfPresent(Int.self, forKey: .width) ?? d.width
        heads = try c.decodeIfPresent(Int.self, forKey: .heads) ?? d.heads
        mlpRatio = try c.decodeIfPresent(Int.self, forKey: .mlpRatio) ?? d.mlpRatio
        deepLayers = try c.decodeIfPresent(Int.self, forKey: .deepLayers) ?? d.deepLayers
        shallowBlocks = try c.decodeIfPresent(Int.self, forKey: .shallowBlocks) ?? d.shallowBlocks
        shallowLayers = try c.decodeIfPresent(Int.self, forKey: .shallowLayers) ?? d.shallowLayers
        textWidth = try c.decodeIfPresent(Int.self, forKey: .textWidth) ?? d.textWidth
        maxTextTokens = try c.decodeIfPresent(Int.self, forKey: .maxTextTokens) ?? d.maxTextTokens
        logScaleBound = try c.decodeIfPresent(Double.self, forKey: .logScaleBound) ?? d.logScaleBound
        noiseScale = try c.decodeIfPresent(Double.self, forKey: .noiseScale) ?? d.noiseScale
        normEpsilon = try c.decodeIfPresent(Double.self, forKey: .normEpsilon) ?? d.normEpsilon
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? d.modelType
        // Checked here, where a config.json enters, before anything is sized from it.
        try validate()
    }

    /// Latent tokens per sample (N).
    public var imageTokens: Int { gridHeight * gridWidth }
    /// Blocks in all, the deep one first.
    public var blocks: Int { 1 + shallowBlocks }
    public var headDim: Int { width / max(heads, 1) }
    /// Transformer layers of block `index` in sampling order (0 is the deep block).
    public func layers(ofBlock index: Int) -> Int { index == 0 ? deepLayers : shallowLayers }
}

extension FlowConfig {
    /// Throws `ModelError.unsupportedConfiguration` naming the first key out of range.
    public func validate() throws {
        let v = ConfigValidation.self, limit = ConfigLimits.self
        guard modelType == Self.modelTypeName else {
            throw v.failure("model_type = \"\(modelType)\" is not a flow (\"\(Self.modelTypeName)\")")
        }
        try v.size("latent_channels", latentChannels, max: limit.maxChannels)
        try v.size("grid_height", gridHeight, max: limit.maxGridSide)
        try v.size("grid_width", gridWidth, max: limit.maxGridSide)
        try v.size("width", width, max: limit.maxWidth)
        try v.size("heads", heads, max: limit.maxHeads)
        try v.multiple("width", width, of: "heads", heads)
        try v.size("mlp_ratio", mlpRatio, max: 64)
        try v.size("mlp_ratio * width", mlpRatio * width, max: limit.maxWidth)
        try v.size("deep_layers", deepLayers, max: limit.maxDepth)
        try v.size("shallow_blocks", shallowBlocks, min: 0, max: limit.maxDepth)
        try v.size("shallow_layers", shallowLayers, max: limit.maxDepth)
        try v.size("text_width", textWidth, max: limit.maxWidth)
        try v.size("max_text_tokens", maxTextTokens, max: limit.maxTextTokens)
        try v.size("grid_height * grid_width + max_text_tokens", imageTokens + maxTextTokens, max: limit.maxTokens)
        try v.number("log_scale_bound", logScaleBound, min: 0, max: 20, exclusiveMin: true)
        try v.number("noise_scale", noiseScale, min: 0, max: 10)
        try v.number("norm_epsilon", normEpsilon, min: limit.minEpsilon, max: limit.maxEpsilon)
        try v.memory(parameters: parameterCount, tableValues: heads * (imageTokens + maxTextTokens) * (imageTokens + maxTextTokens),
                     sizes: "width = \(width), deep_layers = \(deepLayers), shallow_blocks = \(shallowBlocks)", part: ModelLayout.generatorFolder)
    }

    /// Values of every parameter (`TransformerFlow.namedParameters`), as in model.safetensors.
    public var parameterCount: Int {
        let w = width, d = latentChannels, n = imageTokens
        var layer = ParameterTally()                                          // one pre-norm transformer layer
        layer.add(2, w); layer.add(3, w, w); layer.add(3, w); layer.add(w, w); layer.add(w)
        layer.add(2, w); layer.add(w, mlpRatio * w); layer.add(mlpRatio * w); layer.add(mlpRatio * w, w); layer.add(w)
        var block = ParameterTally()                                          // everything but the layers
        block.add(d); block.add(d, w); block.add(w); block.add(n, w)          // start token, input projection, positions
        block.add(2, w); block.add(w, 2 * d); block.add(2 * d)                // final norm, output projection
        var total = ParameterTally()
        total.add(block, times: blocks)
        total.add(layer, times: deepLayers + shallowBlocks * shallowLayers)
        total.add(textWidth, w); total.add(w)                                 // the deep block's text projection
        return total.total
    }
}
