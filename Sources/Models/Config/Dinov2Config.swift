/// The Hugging Face `Dinov2Config` (config.json of a `Dinov2Model` checkpoint).
///
/// Defaults are those of transformers 5.24 (`facebook/dinov2-base`), so a config.json that omits a
/// key decodes as transformers would read it. Keys that only matter for training or for backbone
/// use (dropout, initializer range, out_features, ...) are not modelled.
public struct Dinov2Config: Codable, Equatable, Sendable {
    public var hiddenSize: Int = 768
    public var numHiddenLayers: Int = 12
    public var numAttentionHeads: Int = 12
    /// MLP width = Int(hiddenSize * mlpRatio). An integer in transformers 5; older files may hold 4.0.
    public var mlpRatio: Double = 4
    /// "gelu" is the exact erf form (`nn.functional.gelu`).
    public var hiddenAct: String = "gelu"
    public var layerNormEps: Double = 1e-6
    public var imageSize: SpatialSize = SpatialSize(square: 224)
    public var patchSize: SpatialSize = SpatialSize(square: 14)
    public var numChannels: Int = 3
    public var qkvBias: Bool = true
    public var layerscaleValue: Double = 1.0
    public var useSwigluFFN: Bool = false
    public var useMaskToken: Bool = true
    /// Register tokens after CLS (`Dinov2WithRegistersConfig`); 0 for plain DINOv2.
    public var numRegisterTokens: Int = 0
    public var modelType: String = "dinov2"

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case mlpRatio = "mlp_ratio"
        case hiddenAct = "hidden_act"
        case layerNormEps = "layer_norm_eps"
        case imageSize = "image_size"
        case patchSize = "patch_size"
        case numChannels = "num_channels"
        case qkvBias = "qkv_bias"
        case layerscaleValue = "layerscale_value"
        case useSwigluFFN = "use_swiglu_ffn"
        case useMaskToken = "use_mask_token"
        case numRegisterTokens = "num_register_tokens"
        case modelType = "model_type"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Dinov2Config()
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? d.hiddenSize
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? d.numHiddenLayers
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? d.numAttentionHeads
        mlpRatio = try c.decodeIfPresent(Double.self, forKey: .mlpRatio) ?? d.mlpRatio
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? d.hiddenAct
        layerNormEps = try c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? d.layerNormEps
        imageSize = try c.decodeIfPresent(SpatialSize.self, forKey: .imageSize) ?? d.imageSize
        patchSize = try c.decodeIfPresent(SpatialSize.self, forKey: .patchSize) ?? d.patchSize
        numChannels = try c.decodeIfPresent(Int.self, forKey: .numChannels) ?? d.numChannels
        qkvBias = try c.decodeIfPresent(Bool.self, forKey: .qkvBias) ?? d.qkvBias
        layerscaleValue = try c.decodeIfPresent(Double.self, forKey: .layerscaleValue) ?? d.layerscaleValue
        useSwigluFFN = try c.decodeIfPresent(Bool.self, forKey: .useSwigluFFN) ?? d.useSwigluFFN
        useMaskToken = try c.decodeIfPresent(Bool.self, forKey: .useMaskToken) ?? d.useMaskToken
        numRegisterTokens = try c.decodeIfPresent(Int.self, forKey: .numRegisterTokens) ?? d.numRegisterTokens
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? d.modelType
        guard hiddenSize > 0, numAttentionHeads > 0, hiddenSize % numAttentionHeads == 0 else {
            throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.hiddenSize],
                debugDescription: "hidden_size \(hiddenSize) must be a positive multiple of num_attention_heads \(numAttentionHeads)"))
        }
        // Checked here, where a config.json enters, before anything is sized from it.
        try validate()
    }

    public var headDim: Int { hiddenSize / numAttentionHeads }

    /// Hidden width of the GELU MLP: `int(hidden_size * mlp_ratio)`; 0 when mlp_ratio is not a
    /// usable number (`validate` refuses it).
    public var intermediateSize: Int {
        let width = Double(hiddenSize) * mlpRatio
        return width.isFinite && width >= 0 && width < Double(Int.max) ? Int(width) : 0
    }

    /// Hidden width of the SwiGLU FFN: two thirds of the MLP width, rounded up to a multiple of 8
    /// (`(int(hidden_features * 2 / 3) + 7) // 8 * 8`).
    public var swigluHiddenSize: Int { (Int(Double(intermediateSize) * 2 / 3) + 7) / 8 * 8 }

    /// Position-embedding grid side of the checkpoint (image_size / patch_size per axis).
    public var positionGrid: SpatialSize {
        SpatialSize(height: imageSize.height / patchSize.height, width: imageSize.width / patchSize.width)
    }
}

extension Dinov2Config {
    /// Throws `ModelError.unsupportedConfiguration` naming the first key out of range: sizes
    /// within `ConfigLimits`, finite numbers, a position grid of at least one patch, and the
    /// parameters' memory.
    public func validate() throws {
        let v = ConfigValidation.self, limit = ConfigLimits.self
        try v.size("hidden_size", hiddenSize, max: limit.maxWidth)
        try v.size("num_hidden_layers", numHiddenLayers, min: 0, max: limit.maxDepth)
        try v.size("num_attention_heads", numAttentionHeads, max: limit.maxHeads)
        try v.multiple("hidden_size", hiddenSize, of: "num_attention_heads", numAttentionHeads)
        try v.number("mlp_ratio", mlpRatio, min: 0, max: limit.maxMLPRatio, exclusiveMin: true)
        try v.size("int(hidden_size * mlp_ratio)", intermediateSize, max: limit.maxWidth)
        try v.number("layer_norm_eps", layerNormEps, min: limit.minEpsilon, max: limit.maxEpsilon)
        try v.number("layerscale_value", layerscaleValue, min: -1e6, max: 1e6)
        for (axis, image, patch) in [("height", imageSize.height, patchSize.height), ("width", imageSize.width, patchSize.width)] {
            try v.size("image_size (\(axis))", image, max: limit.maxImageSide)
            try v.size("patch_size (\(axis))", patch, max: min(limit.maxPatchSize, image))
        }
        guard patchSize.height == patchSize.width else {
            throw v.failure("patch_size = [\(patchSize.height), \(patchSize.width)] must be square")
        }
        try v.product([("(image_size / patch_size) (height)", positionGrid.height), ("(image_size / patch_size) (width)", positionGrid.width)],
                      max: limit.maxTokens)
        try v.size("num_channels", numChannels, max: limit.maxChannels)
        try v.size("num_register_tokens", numRegisterTokens, min: 0, max: limit.maxRegisterTokens)
        try v.memory(parameters: parameterCount,
                     sizes: "hidden_size = \(hiddenSize), num_hidden_layers = \(numHiddenLayers), mlp_ratio = \(mlpRatio)",
                     part: ModelLayout.encoderFolder)
    }

    /// Whether the model has `embeddings.mask_token` (optional in a checkpoint).
    public var hasMaskToken: Bool { useMaskToken || modelType == "dinov2_with_registers" }

    /// Values of every parameter (`Dinov2Model.namedParameters`, with the mask token when there is one).
    public var parameterCount: Int {
        let d = hiddenSize, p = patchSize.height
        var n = ParameterTally(), layer = ParameterTally()
        n.add(d)                                                               // cls_token
        if hasMaskToken { n.add(d) }
        n.add(numRegisterTokens, d)
        n.add(1 + positionGrid.height * positionGrid.width, d)                 // position_embeddings
        n.add(d, numChannels, p, p); n.add(d)                                  // patch projection
        layer.add(2, d)                                                        // norm1
        layer.add(3, d, d); if qkvBias { layer.add(3, d) }                     // query, key, value
        layer.add(d, d); layer.add(d)                                          // output
        layer.add(2, d)                                                        // layer scales
        layer.add(2, d)                                                        // norm2
        if useSwigluFFN {
            let h = swigluHiddenSize
            layer.add(2, h, d); layer.add(2, h); layer.add(d, h); layer.add(d)  // weights_in, weights_out
        } else {
            let h = intermediateSize
            layer.add(h, d); layer.add(h); layer.add(d, h); layer.add(d)      // fc1, fc2
        }
        n.add(layer, times: numHiddenLayers)
        n.add(2, d)                                                            // layernorm
        return n.total
    }
}
