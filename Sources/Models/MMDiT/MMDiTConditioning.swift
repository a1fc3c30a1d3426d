import Foundation
import TensorEngine

/// The adaLN conditioning vector c (B, W) = MLP(sinusoidal(t)) + Linear(pooled text), where pooled
/// text is the mean of the text hidden states over unmasked tokens. Blocks consume SiLU(c).
public final class MMDiTConditioning: Module {
    public let timestepLinear1: Linear, timestepLinear2: Linear, pooledLinear: Linear
    private let embeddingDim: Int, timestepScale: Float

    private var text: Tensor?, mask: Tensor?, preActivation: Tensor?
    private let freqSlot = TensorSlot(), hiddenSlot = TensorSlot(), pooledSlot = TensorSlot()
    private let cSlot = TensorSlot(), siluSlot = TensorSlot()
    private let dcSlot = TensorSlot(), dHiddenSlot = TensorSlot()

    init(config: MMDiTConfig) {
        embeddingDim = config.timestepEmbeddingDim
        timestepScale = Float(config.timestepScale)
        timestepLinear1 = Linear(config.timestepEmbeddingDim, config.width)
        timestepLinear1.needsInputGradient = false
        timestepLinear2 = Linear(config.width, config.width)
        pooledLinear = Linear(config.textWidth, config.width)
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        timestepLinear1.namedParameters(prefix: prefix + "t_embedder.linear_1.")
            + timestepLinear2.namedParameters(prefix: prefix + "t_embedder.linear_2.")
            + pooledLinear.namedParameters(prefix: prefix + "y_embedder.")
    }

    /// timesteps (B), text (B, T, Ct), mask (B, T) -> SiLU(c) (B, W) (layer-owned).
    func forward(timesteps: Tensor, text: Tensor, mask: Tensor) -> Tensor {
        let b = text.dim(0)
        self.text = text; self.mask = mask
        let freq = freqSlot.tensor(b, embeddingDim)                           // (B, E)
        Self.sinusoidal(timesteps, scale: timestepScale, into: freq)
        let a = timestepLinear1.forward(freq)                                  // (B, W)
        preActivation = a
        let hidden = hiddenSlot.tensor(like: a)
        Ops.activationForward(.silu, x: a, y: hidden)
        let te = timestepLinear2.forward(hidden)
        let pooled = pooledSlot.tensor(b, text.dim(2))                        // (B, Ct)
        Self.maskedMean(text, mask: mask, into: pooled)
        let pe = pooledLinear.forward(pooled)
        let c = cSlot.tensor(like: te)
        Ops.addForward(te, pe, y: c)
        let siluC = siluSlot.tensor(like: c)
        Ops.activationForward(.silu, x: c, y: siluC)
        return siluC
    }

    /// dSiluC (B, W) -> adds the pooled path's gradient into dText (B, T, Ct).
    func backward(_ dSiluC: Tensor, dText: Tensor) {
        guard let text, let mask else { preconditionFailure("MMDiTConditioning.backward before forward") }
        let c = cSlot.tensor(like: dSiluC)
        let dc = dcSlot.tensor(like: c)
        Ops.activationBackward(.silu, dy: dSiluC, x: c, dx: dc, accumulate: false)
        let dHidden = timestepLinear2.backward(dc)!
        let dA = dHiddenSlot.tensor(like: dHidden)
        Ops.activationBackward(.silu, dy: dHidden, x: timestepPreActivation, dx: dA, accumulate: false)
        timestepLinear1.backward(dA)
        let dPooled = pooledLinear.backward(dc)!                              // (B, Ct)
        Self.maskedMeanBackward(dPooled, mask: mask, dText: dText, tokens: text.dim(1))
    }

    /// Output of the first timestep Linear (its own buffer, valid until the next forward).
    private var timestepPreActivation: Tensor {
        guard let preActivation else { preconditionFailure("MMDiTConditioning.backward before forward") }
        return preActivation
    }

    /// Sinusoidal embedding [cos(s t f_i), sin(s t f_i)], f_i = 10000^(-i / half) (DiT / SD3).
    static func sinusoidal(_ timesteps: Tensor, scale: Float, into y: Tensor) {
        let b = y.dim(0), half = y.dim(1) / 2
        let tp = timesteps.pointer, yp = y.pointer
        let logBase = -Foundation.log(10000.0) / Double(half)
        for s in 0..<b {
            let t = Double(tp[s] * scale)
            for i in 0..<half {
                let arg = t * Foundation.exp(logBase * Double(i))
                yp[s * 2 * half + i] = Float(Foundation.cos(arg))
                yp[s * 2 * half + half + i] = Float(Foundation.sin(arg))
            }
        }
    }

    /// pooled (B, C) = sum_t mask[b, t] x[b, t] / max(sum_t mask[b, t], 1).
    static func maskedMean(_ x: Tensor, mask: Tensor, into y: Tensor) {
        let b = x.dim(0), t = x.dim(1), c = x.dim(2)
        let xp = x.pointer, mp = mask.pointer, yp = y.pointer
        for s in 0..<b {
            let yr = yp + s * c
            yr.update(repeating: 0, count: c)
            var count: Float = 0
            for tt in 0..<t {
                let m = mp[s * t + tt]
                guard m != 0 else { continue }
                count += m
                let xr = xp + (s * t + tt) * c
                for i in 0..<c { yr[i] += m * xr[i] }
            }
            let inv = 1 / max(count, 1)
            for i in 0..<c { yr[i] *= inv }
        }
    }

    /// dx[b, t] += mask[b, t] dy[b] / max(sum_t mask[b, t], 1).
    static func maskedMeanBackward(_ dy: Tensor, mask: Tensor, dText dx: Tensor, tokens t: Int) {
        let b = dx.dim(0), c = dx.dim(2)
        let dyp = dy.pointer, mp = mask.pointer, dxp = dx.pointer
        for s in 0..<b {
            var count: Float = 0
            for tt in 0..<t { count += mp[s * t + tt] }
            let inv = 1 / max(count, 1)
            for tt in 0..<t {
                let m = mp[s * t + tt] * inv
                guard m != 0 else { continue }
                let d = dxp + (s * t + tt) * c, g = dyp + s * c
                for i in 0..<c { d[i] += m * g[i] }
            }
        }
    }
}
