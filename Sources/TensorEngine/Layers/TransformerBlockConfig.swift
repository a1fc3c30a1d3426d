/// Configuration of a pre-norm transformer block; names default to Hugging Face DINOv2's layer keys.
public struct TransformerBlockConfig: Codable, Sendable, Equatable {
    public var dim: Int
    public var heads: Int
    public var headDim: Int?
    public var norm: NormKind
    public var feedForward: FeedForwardKind
    /// Linear layers carry biases (false for T5 / LLaMA-style blocks).
    public var bias: Bool
    /// Initial LayerScale value; nil = no LayerScale (DINOv2 uses 1.0 from the checkpoint).
    public var layerScale: Float?
    public var attentionNames: AttentionNames
    /// Attention score scale; nil = 1 / sqrt(headDim). T5 uses 1.
    public var attentionScale: Float?
    /// Names of norm1, attention, layer-scale 1, norm2, feed-forward, layer-scale 2 (relative to the block).
    public var norm1Name = "norm1", attentionName = "attention", layerScale1Name = "layer_scale1.lambda1"
    public var norm2Name = "norm2", feedForwardName = "mlp", layerScale2Name = "layer_scale2.lambda1"

    /// A T5 encoder block (v1.1 gated-GELU when `gated`, else v1.0 ReLU) with Hugging Face names
    /// relative to `encoder.block.N.`: `layer.0.SelfAttention.q`, `layer.1.DenseReluDense.wi_0`, ...
    public static func t5(dim: Int, heads: Int, headDim: Int, ffHidden: Int, gated: Bool, eps: Float = 1e-6) -> TransformerBlockConfig {
        var c = TransformerBlockConfig(dim: dim, heads: heads)
        c.headDim = headDim
        c.norm = .rmsNorm(eps: eps)
        c.feedForward = gated ? .gated(activation: .geluTanh, hidden: ffHidden, names: ["wi_0", "wi_1", "wo"])
                              : .mlp(activation: .relu, hidden: ffHidden, names: ["wi", "wo"])
        c.bias = false
        c.attentionNames = .t5
        c.attentionScale = 1
        c.norm1Name = "layer.0.layer_norm"; c.attentionName = "layer.0.SelfAttention"
        c.norm2Name = "layer.1.layer_norm"; c.feedForwardName = "layer.1.DenseReluDense"
        return c
    }

    /// A ViT block: LayerNorm (eps 1e-6), GELU MLP of `mlpRatio` x width, biases, DINOv2 names.
    public init(dim: Int, heads: Int, mlpRatio: Int = 4, layerScale: Float? = nil) {
        self.dim = dim
        self.heads = heads
        self.norm = .layerNorm(eps: 1e-6)
        self.feedForward = .mlp(activation: .gelu, hidden: dim * mlpRatio)
        self.bias = true
        self.layerScale = layerScale
        self.attentionNames = .dinov2
    }
}
