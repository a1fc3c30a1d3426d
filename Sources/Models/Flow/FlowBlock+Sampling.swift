import Foundation
import TensorEngine

extension FlowBlock {
    /// z (B, N, D) -> x (B, N, D), the exact inverse of `forward`: token by token in this block's
    /// order, each from the tokens already made, with a key/value cache per layer. `afterToken(i)`
    /// runs after token i (progress, cancellation).
    ///
    /// Guidance: with text of 2B rows (B conditional, then B unconditional), both branches read the
    /// same tokens and each token's two Gaussians are combined as STARFlow does, from
    /// (1 + w) log p_cond - w log p_uncond with w = guidance - 1 (`guided(...)`).
    public func inverse(_ z: Tensor, text: Tensor?, textMask: Tensor?, guidance: Float = 1,
                        afterToken: (Int) throws -> Void = { _ in }) rethrows -> Tensor {
        precondition(readsText == (text != nil) && (text == nil) == (textMask == nil), "text goes to the block that reads it, with its mask")
        let b = z.dim(0), n = config.imageTokens, d = config.latentChannels, w = config.width
        precondition(z.shape == [b, n, d], "FlowBlock expects (B, \(n), \(d)), got \(z.shape)")
        let rows = text?.dim(0) ?? b
        precondition(rows == b || (rows == 2 * b && guidance >= 1), "text rows are B, or 2B (conditional, unconditional) with guidance >= 1")
        let guided = rows == 2 * b
        let t = text?.dim(1) ?? 0, length = t + n
        let slots = stepSlots
        slots.reserve(layers: layers.count)
        let keyMask = slots.keyMask.tensor(rows, length)
        keyMask.fill(1)
        if let text, let textMask, let textProjection {
            Self.prefixKeyMask(textMask, imageTokens: n, into: keyMask)
            fillTextCache(textProjection.forward(text), textMask: textMask, length: length)
        }
        // The caches' tensors, fetched once: the token loop below allocates nothing.
        let keys = layers.indices.map { slots.keys[$0].tensor(rows, config.heads, length, config.headDim) }
        let values = layers.indices.map { slots.values[$0].tensor(rows, config.heads, length, config.headDim) }
        let history = slots.history.tensor(rows, n, d), x = slots.output.tensor(b, n, d)
        let previous = slots.token.tensor(rows, 1, d)          // (R, 1, D): the input token
        let bound = Float(config.logScaleBound)
        for i in 0..<n {
            for row in 0..<rows {
                let source = i == 0 ? start.value.pointer : history.pointer + (row * n + i - 1) * d
                (previous.pointer + row * d).update(from: source, count: d)
            }
            let embedded = input.forward(previous)                             // (R, 1, W)
            var hidden = slots.hidden.tensor(rows, 1, w)
            let ep = embedded.pointer, sp = hidden.pointer, pp = positions.value.pointer + i * w
            for row in 0..<rows { for c in 0..<w { sp[row * w + c] = ep[row * w + c] + pp[c] } }
            for (index, layer) in layers.enumerated() {
                hidden = step(layer, hidden, keys: keys[index], values: values[index], keyMask: keyMask, position: t + i)
            }
            let raw = output.forward(norm.forward(hidden))                  // (R, 1, 2D)
            let rp = raw.pointer, zp = z.pointer, hp = history.pointer, xp = x.pointer
            for row in 0..<b {
                let conditional = rp + row * 2 * d, unconditional = rp + (row + b) * 2 * d
                let target = (row * n + token(i)) * d
                for c in 0..<d {
                    let logScale = bound * tanhf(conditional[c] / bound), shift = conditional[d + c]
                    let value: Float
                    if guided {
                        let (sigma, mu) = Self.guided(logScale: logScale, shift: shift,
                                                      unconditionalLogScale: bound * tanhf(unconditional[c] / bound),
                                                      unconditionalShift: unconditional[d + c], guidance: guidance)
                        value = zp[target + c] * sigma + mu
                    } else {
                        value = zp[target + c] * expf(logScale) + shift
                    }
                    xp[target + c] = value
                    hp[(row * n + i) * d + c] = value
                    if guided { hp[((row + b) * n + i) * d + c] = value }
                }
            }
            try afterToken(i)
        }
        return x
    }

    /// STARFlow's guidance for one value: the Gaussian proportional to N(mu_c, s_c)^(1 + w) /
    /// N(mu_u, s_u)^w, w = guidance - 1, with the unconditional scale taken no smaller than the
    /// conditional one (so the combination stays a Gaussian). Returns its (scale, mean).
    static func guided(logScale: Float, shift: Float, unconditionalLogScale: Float, unconditionalShift: Float,
                       guidance: Float) -> (Float, Float) {
        let w = guidance - 1
        let ratio = min(expf(logScale - unconditionalLogScale), 1), s = ratio * ratio
        let denominator = 1 + w - w * s                                     // >= 1 for w >= 0
        return (expf(logScale) / denominator.squareRoot(), ((1 + w) * shift - w * s * unconditionalShift) / denominator)
    }

    /// Runs the text tokens (R, T, W) through the layers as `forward` does (they see the text only)
    /// and stores each layer's keys and values of them at cache positions 0..<T.
    private func fillTextCache(_ text: Tensor, textMask: Tensor, length: Int) {
        let rows = text.dim(0), t = text.dim(1), heads = config.heads, hd = config.headDim
        var hidden = text
        for (index, layer) in layers.enumerated() {
            let normed = layer.norm1.forward(hidden)
            let keys = stepSlots.keys[index].tensor(rows, heads, length, hd), values = stepSlots.values[index].tensor(rows, heads, length, hd)
            for (projection, cache) in [(layer.attention.key, keys), (layer.attention.value, values)] {
                let projected = projection.forward(normed).pointer           // (R, T, H * hd)
                for row in 0..<rows {
                    for h in 0..<heads {
                        for j in 0..<t {
                            (cache.pointer + ((row * heads + h) * length + j) * hd)
                                .update(from: projected + (row * t + j) * heads * hd + h * hd, count: hd)
                        }
                    }
                }
            }
            hidden = layer.forward(hidden, keyMask: textMask)
        }
    }

    /// One token (R, 1, W) through a pre-norm layer at cache position `position`: its key and value
    /// join the cache, its query attends to every unmasked cached key up to it.
    private func step(_ layer: TransformerBlock, _ hidden: Tensor, keys: Tensor, values: Tensor, keyMask: Tensor,
                      position p: Int) -> Tensor {
        let rows = hidden.dim(0), heads = config.heads, hd = config.headDim, length = keys.dim(2), w = config.width
        let attention = layer.attention
        let normed = layer.norm1.forward(hidden)
        let q = attention.query.forward(normed).pointer                      // (R, 1, H * hd)
        let k = attention.key.forward(normed).pointer, v = attention.value.forward(normed).pointer
        let attended = stepSlots.attended.tensor(rows, 1, heads * hd)
        let scores = stepSlots.scores.tensor(length)                           // the first p + 1 are used
        let kp = keys.pointer, vp = values.pointer, mp = keyMask.pointer, ap = attended.pointer, sp = scores.pointer
        let scale = attention.scale
        for row in 0..<rows {
            for h in 0..<heads {
                let cachedKeys = kp + (row * heads + h) * length * hd, cachedValues = vp + (row * heads + h) * length * hd
                (cachedKeys + p * hd).update(from: k + row * heads * hd + h * hd, count: hd)
                (cachedValues + p * hd).update(from: v + row * heads * hd + h * hd, count: hd)
                let query = q + row * heads * hd + h * hd
                var largest = -Float.infinity
                for j in 0...p {
                    guard mp[row * length + j] != 0 else { sp[j] = -.infinity; continue }
                    var dot: Float = 0
                    for c in 0..<hd { dot += query[c] * cachedKeys[j * hd + c] }
                    sp[j] = dot * scale
                    largest = max(largest, sp[j])
                }
                var total: Float = 0
                for j in 0...p {
                    sp[j] = sp[j] == -.infinity ? 0 : expf(sp[j] - largest)
                    total += sp[j]
                }
                let out = ap + row * heads * hd + h * hd
                out.update(repeating: 0, count: hd)
                for j in 0...p where sp[j] != 0 {
                    let weight = sp[j] / total
                    for c in 0..<hd { out[c] += weight * cachedValues[j * hd + c] }
                }
            }
        }
        let projected = attention.output.forward(attended)
        let residual = stepSlots.residual.tensor(rows, 1, w)
        Ops.addForward(hidden, projected, y: residual)
        let fed = layer.feedForward.forward(layer.norm2.forward(residual))
        Ops.addForward(residual, fed, y: hidden)                              // the token's next hidden state, in place
        return hidden
    }
}
