import TensorEngine

extension TransformerBlockConfig {
    /// One `T5Block` of the encoder: RMSNorm, unscaled self-attention without biases, feed-forward `wi`/`wo` (relu, v1.0) or gated `wi_0`/`wi_1`/`wo`
    /// (gelu_new, v1.1) or any other `feed_forward_proj` activation; no LayerScale. Names follow `encoder.block.{i}.layer.{0,1}`.
    public init(t5 config: T5Config) throws {
        self.init(dim: config.dModel, heads: config.numHeads)
        headDim = config.dKV
        norm = .rmsNorm(eps: Float(config.layerNormEpsilon))
        bias = false
        layerScale = nil
        attentionNames = .t5
        attentionScale = 1                                          // T5 folds 1/sqrt(d) into its init
        let activation = try HuggingFaceActivation.resolve(config.denseActFn)
        feedForward = config.isGatedAct
            ? .gated(activation: activation, hidden: config.dFF, names: ["wi_0", "wi_1", "wo"])
            : .mlp(activation: activation, hidden: config.dFF, names: ["wi", "wo"])
        norm1Name = "layer.0.layer_norm"
        attentionName = "layer.0.SelfAttention"
        norm2Name = "layer.1.layer_norm"
        feedForwardName = "layer.1.DenseReluDense"
    }
}
