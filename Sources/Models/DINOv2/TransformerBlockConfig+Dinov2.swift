import TensorEngine

extension TransformerBlockConfig {
    /// One `Dinov2Layer`: pre-norm LayerNorm, attention with q/k/v biases (zero and outside the
    /// checkpoint when `qkv_bias` is false, since the engine's attention carries the output bias
    /// together with them), LayerScale, GELU MLP or SwiGLU FFN.
    public init(dinov2 config: Dinov2Config) throws {
        self.init(dim: config.hiddenSize, heads: config.numAttentionHeads, layerScale: Float(config.layerscaleValue))
        norm = .layerNorm(eps: Float(config.layerNormEps))
        if config.useSwigluFFN {
            // The checkpoint holds gate and up stacked as `mlp.weights_in`; see Dinov2Model.namedParameters.
            feedForward = .gated(activation: .silu, hidden: config.swigluHiddenSize,
                                 names: ["weights_in.gate", "weights_in.up", "weights_out"])
        } else {
            feedForward = .mlp(activation: try HuggingFaceActivation.resolve(config.hiddenAct),
                               hidden: config.intermediateSize, names: ["fc1", "fc2"])
        }
    }
}
