/// The Hugging Face `T5Config` (config.json of a `T5EncoderModel` / T5 checkpoint).
///
/// Defaults are those of transformers 5.24 (`google-t5/t5-small`). As in transformers'
/// `__post_init__`, the activation and gating are derived from `feed_forward_proj`
/// ("relu" -> ReLU, not gated; "gated-gelu" -> gated, `gelu_new` (tanh form)); the
/// `dense_act_fn` / `is_gated_act` keys that save_pretrained also writes are ignored.
public struct T5Config: Codable, Equatable, Sendable {
    public var vocabSize: Int = 32128
    public var dModel: Int = 512
    public var dKV: Int = 64
    public var dFF: Int = 2048
    public var numLayers: Int = 6
    public var numHeads: Int = 8
    public var relativeAttentionNumBuckets: Int = 32
    public var relativeAttentionMaxDistance: Int = 128
    public var dropoutRate: Double = 0.1
    public var layerNormEpsilon: Double = 1e-6
    /// "relu" (T5 v1.0), "gated-gelu" (T5 v1.1), or generally "ACT" / "gated-ACT".
    public var feedForwardProj: String = "relu"
    public var padTokenId: Int? = 0
    public var eosTokenId: Int? = 1
    public var modelType: String = "t5"

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size"
        case dModel = "d_model"
        case dKV = "d_kv"
        case dFF = "d_ff"
        case numLayers = "num_layers"
        case numHeads = "num_heads"
        case relativeAttentionNumBuckets = "relative_attention_num_buckets"
        case relativeAttentionMaxDistance = "relative_attention_max_distance"
        case dropoutRate = "dropout_rate"
        case layerNormEpsilon = "layer_norm_epsilon"
        case feedForwardProj = "feed_forward_proj"
        case padTokenId = "pad_token_id"
        case eosTokenId = "eos_token_id"
        case modelType = "model_type"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = T5Config()
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? d.vocabSize
        dModel = try c.decodeIfPresent(Int.self, forKey: .dModel) ?? d.dModel
        dKV = try c.decodeIfPresent(Int.self, forKey: .dKV) ?? d.dKV
        dFF = try c.decodeIfPresent(Int.self, forKey: .dFF) ?? d.dFF
        numLayers = try c.decodeIfPresent(Int.self, forKey: .numLayers) ?? d.numLayers
        numHeads = try c.decodeIfPresent(Int.self, forKey: .numHeads) ?? d.numHeads
        relativeAttentionNumBuckets = try c.decodeIfPresent(Int.self, forKey: .relativeAttentionNumBuckets) ?? d.relativeAttentionNumBuckets
        relativeAttentionMaxDistance = try c.decodeIfPresent(Int.self, forKey: .relativeAttentionMaxDistance) ?? d.relativeAttentionMaxDistance
        dropoutRate = try c.decodeIfPresent(Double.self, forKey: .dropoutRate) ?? d.dropoutRate
        layerNormEpsilon = try c.decodeIfPresent(Double.self, forKey: .layerNormEpsilon) ?? d.layerNormEpsilon
        feedForwardProj = try c.decodeIfPresent(String.self, forKey: .feedForwardProj) ?? d.feedForwardProj
        padTokenId = Self.tokenId(c, .padTokenId, default: d.padTokenId)
        eosTokenId = Self.tokenId(c, .eosTokenId, default: d.eosTokenId)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? d.modelType
        let parts = feedForwardProj.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || (parts.count == 2 && parts[0] == "gated") else {
            throw DecodingError.dataCorrupted(.init(codingPath: [CodingKeys.feedForwardProj],
                debugDescription: "feed_forward_proj '\(feedForwardProj)' must be 'ACT' or 'gated-ACT', e.g. 'relu' or 'gated-gelu'"))
        }
        // Checked here, where a config.json enters, before anything is sized from it.
        try validate()
    }

    /// A token id that may be absent (default), null, an integer, or a list (the first is kept).
    private static func tokenId(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, default value: Int?) -> Int? {
        guard c.contains(key) else { return value }
        if let id = try? c.decode(Int.self, forKey: key) { return id }
        return (try? c.decode([Int].self, forKey: key))?.first
    }

    /// Whether the FFN is gated (`wi_0`, `wi_1`, `wo`) rather than `wi`, `wo`.
    public var isGatedAct: Bool { feedForwardProj.hasPrefix("gated-") }

    /// The ACT2FN name of the FFN activation; "gated-gelu" maps to "gelu_new" (tanh approximation).
    public var denseActFn: String {
        if feedForwardProj == "gated-gelu" { return "gelu_new" }
        return feedForwardProj.split(separator: "-").last.map(String.init) ?? feedForwardProj
    }

    /// Width of the attention projections: heads * d_kv (need not equal d_model).
    public var innerDim: Int { numHeads * dKV }
}

extension T5Config {
    /// Throws `ModelError.unsupportedConfiguration` naming the first key out of range: sizes
    /// within `ConfigLimits`, a usable bucket layout, finite numbers, and the parameters' memory.
    public func validate() throws {
        let v = ConfigValidation.self, limit = ConfigLimits.self
        try v.size("vocab_size", vocabSize, max: limit.maxVocabulary)
        try v.size("d_model", dModel, max: limit.maxWidth)
        try v.size("d_kv", dKV, max: limit.maxWidth)
        try v.size("d_ff", dFF, max: limit.maxWidth)
        try v.size("num_layers", numLayers, min: 0, max: limit.maxDepth)
        try v.size("num_heads", numHeads, max: limit.maxHeads)
        try v.product([("num_heads", numHeads), ("d_kv", dKV)], max: limit.maxWidth)
        // Bidirectional buckets split in two halves, each with at least one exact bucket.
        try v.size("relative_attention_num_buckets", relativeAttentionNumBuckets, min: 2, max: limit.maxRelativeBuckets)
        // The log-spaced buckets divide by log(max_distance / max_exact) (max_exact = buckets / 4).
        try v.size("relative_attention_max_distance", relativeAttentionMaxDistance, min: relativeAttentionNumBuckets / 4 + 1,
                   max: limit.maxRelativeDistance)
        try v.number("dropout_rate", dropoutRate, min: 0, max: 1)
        try v.number("layer_norm_epsilon", layerNormEpsilon, min: limit.minEpsilon, max: limit.maxEpsilon)
        try v.memory(parameters: parameterCount, sizes: "vocab_size = \(vocabSize), d_model = \(dModel), num_layers = \(numLayers), d_ff = \(dFF)",
                     part: "text encoder")
    }

    /// Values of every parameter of the encoder (`T5Encoder.namedParameters`).
    public var parameterCount: Int {
        var n = ParameterTally(), block = ParameterTally()
        n.add(vocabSize, dModel)                                               // shared
        block.add(dModel); block.add(4, innerDim, dModel)                      // norm, q/k/v/o (no biases)
        block.add(dModel); block.add(isGatedAct ? 3 : 2, dModel, dFF)          // norm, feed-forward
        n.add(block, times: numLayers)
        if numLayers > 0 { n.add(relativeAttentionNumBuckets, numHeads) }     // relative bias, stored in block 0
        n.add(dModel)                                                          // final norm
        return n.total
    }
}
