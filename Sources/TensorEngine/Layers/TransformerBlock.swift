/// Pre-norm transformer block: x1 = x + ls1 * attn(norm1(x)); y = x1 + ls2 * ff(norm2(x1)),
/// x (B, T, C). LayerScale (ls) is optional; attention options (bias, mask, RoPE) pass through.
public final class TransformerBlock: Module {
    public let config: TransformerBlockConfig
    public let norm1: NormLayer, attention: MultiHeadAttention, norm2: NormLayer, feedForward: FeedForward
    public let layerScale1: Parameter?, layerScale2: Parameter?
    public var needsInputGradient = true

    private var input: Tensor?, attnOut: Tensor?, ffOut: Tensor?
    private let x1Slot = TensorSlot(), outSlot = TensorSlot()
    private let dBranchSlot = TensorSlot(), dx1Slot = TensorSlot(), dxSlot = TensorSlot()

    public init(_ config: TransformerBlockConfig) {
        self.config = config
        norm1 = config.norm.make(config.dim)
        attention = MultiHeadAttention(dim: config.dim, heads: config.heads, headDim: config.headDim,
                                       bias: config.bias, names: config.attentionNames, scale: config.attentionScale)
        norm2 = config.norm.make(config.dim)
        feedForward = config.feedForward.make(dim: config.dim, bias: config.bias)
        if let ls = config.layerScale {
            layerScale1 = Parameter([config.dim]); layerScale1!.value.fill(ls)
            layerScale2 = Parameter([config.dim]); layerScale2!.value.fill(ls)
        } else {
            layerScale1 = nil; layerScale2 = nil
        }
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = norm1.namedParameters(prefix: prefix + config.norm1Name + ".")
        r += attention.namedParameters(prefix: prefix + config.attentionName + ".")
        if let layerScale1 { r.append((prefix + config.layerScale1Name, layerScale1)) }
        r += norm2.namedParameters(prefix: prefix + config.norm2Name + ".")
        r += feedForward.namedParameters(prefix: prefix + config.feedForwardName + ".")
        if let layerScale2 { r.append((prefix + config.layerScale2Name, layerScale2)) }
        return r
    }

    public func initialize(_ rng: inout RandomGenerator) {
        attention.initialize(&rng)
        feedForward.initialize(&rng)
    }

    /// x (B, T, C) -> (B, T, C); `attentionBias` (H, T, T), `keyMask` (B, T) as in `MultiHeadAttention`.
    public func forward(_ x: Tensor, attentionBias: Tensor? = nil, keyMask: Tensor? = nil) -> Tensor {
        input = x
        let a = attention.forward(norm1.forward(x), bias: attentionBias, keyMask: keyMask)
        attnOut = a
        let x1 = x1Slot.tensor(like: x)
        Ops.residualForward(x: x, branch: a, gamma: layerScale1?.value, y: x1)
        let f = feedForward.forward(norm2.forward(x1))
        ffOut = f
        let y = outSlot.tensor(like: x)
        Ops.residualForward(x: x1, branch: f, gamma: layerScale2?.value, y: y)
        return y
    }

    /// Accumulates parameter gradients (and `attentionBiasGrad`); returns dx in a block-owned buffer.
    @discardableResult
    public func backward(_ dy: Tensor, attentionBiasGrad: Tensor? = nil) -> Tensor {
        guard let x = input, let a = attnOut, let f = ffOut else { preconditionFailure("TransformerBlock.backward before forward") }
        // Feed-forward branch.
        let dF = branchGradient(dy, branch: f, gamma: layerScale2)
        let dx1 = dx1Slot.tensor(like: x)
        dx1.copy(from: dy)                                       // residual path
        norm2.backward(feedForward.backward(dF), dx: dx1, accumulate: true)
        // Attention branch.
        let dA = branchGradient(dx1, branch: a, gamma: layerScale1)
        let dAttnIn = attention.backward(dA, biasGrad: attentionBiasGrad)!
        let dx = dxSlot.tensor(like: x)
        dx.copy(from: dx1)
        norm1.backward(dAttnIn, dx: dx, accumulate: true)
        return dx
    }

    /// Gradient into a residual branch scaled by LayerScale gamma (dy itself without LayerScale).
    private func branchGradient(_ dy: Tensor, branch: Tensor, gamma: Parameter?) -> Tensor {
        guard let gamma else { return dy }
        let d = dBranchSlot.tensor(like: dy)
        Ops.mulRowBackward(dy: dy, x: branch, row: gamma.value, dx: d, dRow: gamma.frozen ? nil : gamma.grad, accumulate: false)
        return d
    }
}
