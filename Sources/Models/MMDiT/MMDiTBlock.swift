import TensorEngine

/// SD3-style two-stream block: text and image tokens keep separate weights but attend jointly over
/// [text; image]. 2D RoPE rotates q and k of the image tokens only; padded text keys are masked.
public final class MMDiTBlock: Module {
    public let text: MMDiTStream, image: MMDiTStream
    public let heads: Int, headDim: Int
    /// 2D rotary table over the image grid (no prefix: it is applied to the image rows only).
    let rope: RoPETable

    private var textTokens = 0, keyMask: Tensor?
    private let qkvSlot = TensorSlot(), attnSlot = TensorSlot(), lseSlot = TensorSlot()
    private let attnTextSlot = TensorSlot(), attnImageSlot = TensorSlot()
    private let dAttnSlot = TensorSlot(), dqkvSlot = TensorSlot(), dqkvTextSlot = TensorSlot(), dqkvImageSlot = TensorSlot()

    init(config: MMDiTConfig, last: Bool, rope: RoPETable) {
        let eps = Float(config.normEpsilon)
        text = MMDiTStream(width: config.width, mlpHidden: config.mlpHidden, contextOnly: last, eps: eps)
        image = MMDiTStream(width: config.width, mlpHidden: config.mlpHidden, contextOnly: false, eps: eps)
        heads = config.heads
        headDim = config.headDim
        self.rope = rope
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        text.namedParameters(prefix: prefix + "text.") + image.namedParameters(prefix: prefix + "image.")
    }

    /// text (B, T, W), image (B, N, W), siluC (B, W), keyMask (B, T + N) -> new streams; the text
    /// output is nil after the last block (context-only text stream).
    func forward(text ht: Tensor, image hi: Tensor, siluC: Tensor, keyMask: Tensor) -> (text: Tensor?, image: Tensor) {
        let b = hi.dim(0), t = ht.dim(1), n = hi.dim(1), w = hi.dim(2)
        textTokens = t; self.keyMask = keyMask
        let qkv = qkvSlot.tensor(b, t + n, 3 * w)                              // (B, T+N, 3W)
        JointTokens.concat(text: text.prepare(ht, siluC: siluC), image: image.prepare(hi, siluC: siluC), into: qkv)
        ropeImage(qkv, batch: b, textTokens: t, imageTokens: n, inverse: false)
        let attn = attnSlot.tensor(b, t + n, w)                                // (B, T+N, W)
        Ops.attentionForward(shape(b, t + n), q: .init(packed: qkv, index: 0), k: .init(packed: qkv, index: 1),
                             v: .init(packed: qkv, index: 2), out: .init(attn), keyMask: keyMask,
                             lse: lseSlot.tensor(b, heads, t + n))
        let attnImage = attnImageSlot.tensor(b, n, w)
        if text.contextOnly {
            JointTokens.split(attn, text: nil, image: attnImage, textTokens: t)
            return (nil, image.finish(attention: attnImage))
        }
        let attnText = attnTextSlot.tensor(b, t, w)
        JointTokens.split(attn, text: attnText, image: attnImage, textTokens: t)
        return (text.finish(attention: attnText), image.finish(attention: attnImage))
    }

    /// Gradients of the block outputs -> gradients of its inputs (layer-owned); dText is nil for
    /// the last block. Adds the modulation input gradients into dSiluC (B, W).
    func backward(text dText: Tensor?, image dImage: Tensor, dSiluC: Tensor) -> (text: Tensor, image: Tensor) {
        guard let keyMask else { preconditionFailure("MMDiTBlock.backward before forward") }
        let b = dImage.dim(0), t = textTokens, n = dImage.dim(1), w = dImage.dim(2)
        let qkv = qkvSlot.tensor(b, t + n, 3 * w), attn = attnSlot.tensor(b, t + n, w)
        let dAttn = dAttnSlot.tensor(b, t + n, w)
        let dAttnImage = image.backwardFinish(dImage)
        if let dText {
            JointTokens.concat(text: text.backwardFinish(dText), image: dAttnImage, into: dAttn)
        } else {
            // Text queries of the last block feed nothing: their output gradient is zero.
            let dAttnText = attnTextSlot.tensor(b, t, w)
            dAttnText.zero()
            JointTokens.concat(text: dAttnText, image: dAttnImage, into: dAttn)
        }
        let dqkv = dqkvSlot.tensor(b, t + n, 3 * w)
        Ops.attentionBackward(shape(b, t + n), q: .init(packed: qkv, index: 0), k: .init(packed: qkv, index: 1),
                              v: .init(packed: qkv, index: 2), out: .init(attn), dOut: .init(dAttn), keyMask: keyMask,
                              lse: lseSlot.tensor(b, heads, t + n), dq: .init(packed: dqkv, index: 0),
                              dk: .init(packed: dqkv, index: 1), dv: .init(packed: dqkv, index: 2), accumulate: false)
        ropeImage(dqkv, batch: b, textTokens: t, imageTokens: n, inverse: true)
        let dqkvText = dqkvTextSlot.tensor(b, t, 3 * w), dqkvImage = dqkvImageSlot.tensor(b, n, 3 * w)
        JointTokens.split(dqkv, text: dqkvText, image: dqkvImage, textTokens: t)
        let dhImage = image.backwardPrepare(dqkvImage, dSiluC: dSiluC)
        let dhText = text.backwardPrepare(dqkvText, dSiluC: dSiluC)
        return (dhText, dhImage)
    }

    /// Rotates q and k (or their gradients, `inverse`) of the image rows of a packed (B, T+N, 3W).
    private func ropeImage(_ packed: Tensor, batch b: Int, textTokens t: Int, imageTokens n: Int, inverse: Bool) {
        let row = packed.dim(2), w = row / 3
        for index in 0..<2 {
            let layout = Ops.HeadLayout(packed.pointer + t * row + index * w, rowStride: row, batchStride: (t + n) * row)
            Ops.ropeApply(rope, x: layout, batch: b, tokens: n, heads: heads, inverse: inverse)
        }
    }

    private func shape(_ b: Int, _ tokens: Int) -> Ops.AttentionShape {
        Ops.AttentionShape(batch: b, heads: heads, headDim: headDim, queries: tokens, keys: tokens)
    }
}
