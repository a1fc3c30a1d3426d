import TensorEngine

extension FAEConfig {
    /// Feature-decoder block (and the `transformer3` encoder's, at its own width and heads):
    /// RMSNorm, SwiGLU, no biases, as in LightningDiT; 2D RoPE is set on the attention by the owner.
    func llamaBlock(width: Int, heads: Int, headDim: Int) -> TransformerBlockConfig {
        var c = TransformerBlockConfig(dim: width, heads: heads)
        c.headDim = headDim
        c.norm = .rmsNorm(eps: normEps)
        c.feedForward = .gated(activation: .silu, hidden: swigluHidden(width))
        c.bias = false
        c.attentionNames = .standard
        return c
    }

    /// Pixel-decoder ViT block: LayerNorm, GELU MLP, biases; 2D RoPE set by the owner.
    var pixelDecoderBlock: TransformerBlockConfig {
        var c = TransformerBlockConfig(dim: pixelDecoderWidth, heads: pixelDecoderHeads, mlpRatio: mlpRatio)
        c.norm = .layerNorm(eps: normEps)
        c.attentionNames = .standard
        return c
    }

    /// `depth` blocks of `block`, sharing one 2D rotary table over the token grid for heads of `headDim`.
    func gridRoPEBlocks(_ block: TransformerBlockConfig, depth: Int, headDim: Int) throws -> [TransformerBlock] {
        let rope = try gridRoPE(headDim: headDim)
        return (0..<depth).map { _ in
            let layer = TransformerBlock(block)
            layer.attention.rope = rope
            return layer
        }
    }

    /// 2D rotary table over the token grid for heads of `headDim`.
    func gridRoPE(headDim: Int) throws -> RoPETable {
        do {
            return try RoPETable(gridHeight: gridSize, gridWidth: gridSize, headDim: headDim, theta: ropeTheta)
        } catch {
            throw ModelError(.unsupportedConfiguration, "FAE 2D RoPE: \(error)", cause: error)
        }
    }
}
