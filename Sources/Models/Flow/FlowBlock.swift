import Foundation
import TensorEngine

/// One autoregressive affine flow block (TARFlow's MetaBlock, with STARFlow's start token): over the
/// tokens in its order (raster, or reversed), a causal Transformer reads the tokens before token i
/// and predicts its log-scale alpha_i and shift mu_i, and the block maps the latent side x to the
/// noise side z_i = (x_i - mu_i) * exp(-alpha_i). log |det dz/dx| = -sum(alpha).
///
/// The Transformer's input at position i is x_(i-1) (a learned start token at i = 0) plus a learned
/// position; the deep block also reads the text as prefix tokens that every image token sees (text
/// tokens see the text only). The output projection starts at zero, so a new block is the identity.
/// Tensors: x, z (B, N, D) in raster order; text (B, T, Ct) with mask (B, T).
public final class FlowBlock: Module {
    public let config: FlowConfig
    /// Reads the tokens last to first.
    public let reversed: Bool
    public let start: Parameter                   // (D)
    public let input: Linear                      // D -> W
    public let positions: Parameter               // (N, W)
    /// The text projection Ct -> W; nil for a block without text.
    public let textProjection: Linear?
    public let layers: [TransformerBlock]
    public let norm: LayerNorm
    public let output: Linear                     // W -> 2D: [log-scale | shift]

    /// The text's gradient (B, T, Ct) after `backward`, for the text encoder; nil without text.
    public private(set) var textGradient: Tensor?

    private var savedInput: Tensor?, savedTextTokens = 0, biasTextTokens = -1
    private let inputSlot = TensorSlot(), sequenceSlot = TensorSlot(), biasSlot = TensorSlot(), keyMaskSlot = TensorSlot()
    private let imageSlot = TensorSlot(), logScaleSlot = TensorSlot(), zSlot = TensorSlot()
    private let dRawSlot = TensorSlot(), dImageSlot = TensorSlot(), dSequenceSlot = TensorSlot()
    private let dTextSlot = TensorSlot(), dHiddenSlot = TensorSlot(), dxSlot = TensorSlot()
    let stepSlots = FlowBlockStepSlots()

    /// Attention scores of keys a query must not see (finite, as the engine's masked keys).
    static let hiddenScore: Float = -1e30

    public init(config: FlowConfig, layers count: Int, reversed: Bool, readsText: Bool) {
        self.config = config
        self.reversed = reversed
        let w = config.width, d = config.latentChannels
        start = Parameter([d])
        input = Linear(d, w)
        positions = Parameter([config.imageTokens, w])
        textProjection = readsText ? Linear(config.textWidth, w) : nil
        var layer = TransformerBlockConfig(dim: w, heads: config.heads, mlpRatio: config.mlpRatio)
        layer.norm = .layerNorm(eps: Float(config.normEpsilon))
        layer.attentionNames = .standard
        layers = (0..<count).map { _ in TransformerBlock(layer) }
        norm = LayerNorm(w, eps: Float(config.normEpsilon))
        output = Linear(w, 2 * d)
    }

    public var readsText: Bool { textProjection != nil }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = [(prefix + "start", start)] + input.namedParameters(prefix: prefix + "input.")
        r.append((prefix + "positions", positions))
        if let textProjection { r += textProjection.namedParameters(prefix: prefix + "text.") }
        r += layers.namedParameters(prefix: prefix + "layers.")
        r += norm.namedParameters(prefix: prefix + "norm.")
        r += output.namedParameters(prefix: prefix + "output.")
        return r
    }

    /// PyTorch's default Linear init, small random start token and positions, a zero output
    /// projection (the block starts as the identity).
    public func initialize(_ rng: inout RandomGenerator) {
        rng.fillNormal(start.value, std: 0.02)
        input.initialize(&rng)
        rng.fillNormal(positions.value, std: 0.02)
        textProjection?.initialize(&rng)
        for layer in layers { layer.initialize(&rng) }
        output.weight.value.zero()
        output.bias?.value.zero()
    }

    /// The raster index of the token at position `i` of this block's order.
    @inline(__always) func token(_ i: Int) -> Int { reversed ? config.imageTokens - 1 - i : i }

    /// x (B, N, D) -> z (B, N, D) in a block-owned buffer; keeps the log-scales (`logScales`,
    /// (B, N, D) in this block's order) for the log-determinant and `backward`.
    public func forward(_ x: Tensor, text: Tensor?, textMask: Tensor?) -> Tensor {
        precondition(readsText == (text != nil) && (text == nil) == (textMask == nil), "text goes to the block that reads it, with its mask")
        let b = x.dim(0), n = config.imageTokens, d = config.latentChannels, w = config.width
        precondition(x.shape == [b, n, d], "FlowBlock expects (B, \(n), \(d)), got \(x.shape)")
        savedInput = x
        // The Transformer's input: the start token, then the tokens in this block's order, one behind.
        let shifted = inputSlot.tensor(b, n, d)
        let xp = x.pointer, up = shifted.pointer, sp = start.value.pointer
        for row in 0..<b {
            (up + row * n * d).update(from: sp, count: d)
            for i in 1..<max(n, 1) {
                (up + (row * n + i) * d).update(from: xp + (row * n + token(i - 1)) * d, count: d)
            }
        }
        let embedded = input.forward(shifted)                               // (B, N, W)
        let flat = embedded.reshaped([b, n * w])
        Ops.addRowForward(flat, row: positions.value.reshaped([n * w]), y: flat)
        let t = text?.dim(1) ?? 0
        savedTextTokens = t
        var hidden = embedded
        if let text, let textMask, let textProjection {
            hidden = sequenceSlot.tensor(b, t + n, w)                       // (B, T + N, W): text, then image tokens
            Self.concatenate(textProjection.forward(text), embedded, into: hidden)
            let keyMask = keyMaskSlot.tensor(b, t + n)
            Self.prefixKeyMask(textMask, imageTokens: n, into: keyMask)
            let bias = causalBias(textTokens: t)
            for layer in layers { hidden = layer.forward(hidden, attentionBias: bias, keyMask: keyMask) }
        } else {
            let bias = causalBias(textTokens: 0)
            for layer in layers { hidden = layer.forward(hidden, attentionBias: bias) }
        }
        let image = t == 0 ? hidden : imageSlot.tensor(b, n, w)
        if t > 0 { Self.imageRows(of: hidden, textTokens: t, into: image) }
        let raw = output.forward(norm.forward(image))                       // (B, N, 2D)
        let logScales = logScaleSlot.tensor(b, n, d), z = zSlot.tensor(b, n, d)
        let bound = Float(config.logScaleBound)
        let rp = raw.pointer, ap = logScales.pointer, zp = z.pointer
        for row in 0..<b {
            for i in 0..<n {
                let r = rp + (row * n + i) * 2 * d, a = ap + (row * n + i) * d
                let source = (row * n + token(i)) * d
                for c in 0..<d {
                    a[c] = bound * tanhf(r[c] / bound)
                    zp[source + c] = (xp[source + c] - r[d + c]) * expf(-a[c])
                }
            }
        }
        return z
    }

    /// The log-scales of the last `forward` (B, N, D), in this block's token order.
    public var logScales: Tensor { logScaleSlot.tensor(savedInput?.dim(0) ?? 0, config.imageTokens, config.latentChannels) }

    /// dz (B, N, D) and the gradient of the loss with respect to every log-scale's own term
    /// (`logScaleGradient`, the log-determinant's share) -> dx (B, N, D) in a block-owned buffer.
    /// Accumulates parameter gradients; with text, `textGradient` holds the text's.
    @discardableResult
    public func backward(_ dz: Tensor, logScaleGradient: Float) -> Tensor {
        guard let x = savedInput else { preconditionFailure("FlowBlock.backward before forward") }
        let b = x.dim(0), n = config.imageTokens, d = config.latentChannels, w = config.width, t = savedTextTokens
        let bound = Float(config.logScaleBound)
        let dRaw = dRawSlot.tensor(b, n, 2 * d), dx = dxSlot.tensor(b, n, d)
        let dzp = dz.pointer, zp = zSlot.tensor(b, n, d).pointer, ap = logScaleSlot.tensor(b, n, d).pointer
        let drp = dRaw.pointer, dxp = dx.pointer
        for row in 0..<b {
            for i in 0..<n {
                let a = ap + (row * n + i) * d, dr = drp + (row * n + i) * 2 * d
                let source = (row * n + token(i)) * d
                for c in 0..<d {
                    let scale = expf(-a[c]), g = dzp[source + c]
                    dxp[source + c] = g * scale                             // z = (x - mu) * exp(-alpha)
                    dr[d + c] = -g * scale                                  // d/dmu
                    let clip = a[c] / bound
                    dr[c] = (logScaleGradient - g * zp[source + c]) * (1 - clip * clip)   // d/da through the tanh bound
                }
            }
        }
        let dImage = dImageSlot.tensor(b, n, w)
        norm.backward(output.backward(dRaw)!, dx: dImage, accumulate: false)
        var dHidden = dImage
        if t > 0 {
            dHidden = dSequenceSlot.tensor(b, t + n, w)
            dHidden.zero()                                                  // the text tokens feed no output directly
            Self.imageRows(of: dHidden, textTokens: t, from: dImage)
        }
        for layer in layers.reversed() { dHidden = layer.backward(dHidden) }
        var dEmbedded = dHidden
        if t > 0, let textProjection {
            let dText = dTextSlot.tensor(b, t, w), dImageTokens = dHiddenSlot.tensor(b, n, w)
            Self.split(dHidden, text: dText, image: dImageTokens)
            textGradient = textProjection.backward(dText)
            dEmbedded = dImageTokens
        }
        Ops.addRowBackward(dy: dEmbedded.reshaped([b, n * w]), dx: nil, dRow: positions.grad.reshaped([n * w]))
        let dShifted = input.backward(dEmbedded)!                           // (B, N, D)
        let dsp = dShifted.pointer, dStart = start.grad.pointer
        for row in 0..<b {
            for c in 0..<d { dStart[c] += dsp[row * n * d + c] }
            for i in 1..<max(n, 1) {
                let from = dsp + (row * n + i) * d, to = dxp + (row * n + token(i - 1)) * d
                for c in 0..<d { to[c] += from[c] }
            }
        }
        return dx
    }

    /// The additive attention bias (H, T + N, T + N): text tokens see the text, image token i sees
    /// the text and image tokens 0...i.
    func causalBias(textTokens t: Int) -> Tensor {
        let n = config.imageTokens, l = t + n, heads = config.heads
        let bias = biasSlot.tensor(heads, l, l)
        if biasTextTokens == t { return bias }                              // the same text length as the last call
        biasTextTokens = t
        let p = bias.pointer
        for i in 0..<l {
            for j in 0..<l {
                let visible = i < t ? j < t : j < t || j - t <= i - t
                p[i * l + j] = visible ? 0 : Self.hiddenScore
            }
        }
        for h in 1..<max(heads, 1) { (p + h * l * l).update(from: p, count: l * l) }
        return bias
    }

    /// The key mask (B, T + N): the text's mask, then every image token.
    static func prefixKeyMask(_ textMask: Tensor, imageTokens n: Int, into mask: Tensor) {
        let b = textMask.dim(0), t = textMask.dim(1)
        for row in 0..<b {
            (mask.pointer + row * (t + n)).update(from: textMask.pointer + row * t, count: t)
            (mask.pointer + row * (t + n) + t).update(repeating: 1, count: n)
        }
    }

    /// [text (B, T, W); image (B, N, W)] -> (B, T + N, W).
    static func concatenate(_ text: Tensor, _ image: Tensor, into joint: Tensor) {
        let b = text.dim(0), t = text.dim(1), n = image.dim(1), w = text.dim(2)
        for row in 0..<b {
            (joint.pointer + row * (t + n) * w).update(from: text.pointer + row * t * w, count: t * w)
            (joint.pointer + (row * (t + n) + t) * w).update(from: image.pointer + row * n * w, count: n * w)
        }
    }

    /// (B, T + N, W) -> its text (B, T, W) and image (B, N, W) rows.
    static func split(_ joint: Tensor, text: Tensor, image: Tensor) {
        let b = text.dim(0), t = text.dim(1), n = image.dim(1), w = text.dim(2)
        for row in 0..<b {
            (text.pointer + row * t * w).update(from: joint.pointer + row * (t + n) * w, count: t * w)
            (image.pointer + row * n * w).update(from: joint.pointer + (row * (t + n) + t) * w, count: n * w)
        }
    }

    /// Copies the image rows of `joint` (B, T + N, W) into `image` (B, N, W).
    static func imageRows(of joint: Tensor, textTokens t: Int, into image: Tensor) {
        let b = image.dim(0), n = image.dim(1), w = image.dim(2)
        for row in 0..<b { (image.pointer + row * n * w).update(from: joint.pointer + (row * (t + n) + t) * w, count: n * w) }
    }

    /// Writes `image` (B, N, W) into the image rows of `joint` (B, T + N, W).
    static func imageRows(of joint: Tensor, textTokens t: Int, from image: Tensor) {
        let b = image.dim(0), n = image.dim(1), w = image.dim(2)
        for row in 0..<b { (joint.pointer + (row * (t + n) + t) * w).update(from: image.pointer + row * n * w, count: n * w) }
    }
}
