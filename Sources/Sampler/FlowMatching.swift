import Foundation
import TensorEngine

/// Flow-matching math of fae-paper.md (t = 1 is noise): x_t = (1 - t) z + t eps, target velocity
/// v = eps - z, logit-normal training times with the shift t' = a t / (1 + (a - 1) t), the same
/// shift on the sampling grid.
public enum FlowMatching {
    /// RAE's rule a = sqrt(tokens * channels / 4096), unless `override` is given.
    public static func shift(forTokens tokens: Int, channels: Int, override: Double? = nil) -> Double {
        override ?? (Double(tokens * channels) / 4096).squareRoot()
    }

    /// t' = a t / (1 + (a - 1) t): a > 1 moves times towards the noise end.
    @inline(__always)
    public static func shifted(_ t: Double, shift a: Double) -> Double { a * t / (1 + (a - 1) * t) }

    /// Writes x_t = (1 - t) z + t eps and target v = eps - z; z, noise, xt, target (B, ...), t (B).
    public static func interpolate(latents z: Tensor, noise: Tensor, timesteps t: Tensor, xt: Tensor, target: Tensor) {
        let b = z.dim(0), per = z.count / max(b, 1)
        precondition(noise.count == z.count && xt.count == z.count && target.count == z.count && t.count == b, "flow-matching shapes")
        let zp = z.pointer, ep = noise.pointer, xp = xt.pointer, vp = target.pointer, tp = t.pointer
        for s in 0..<b {
            let ts = tp[s], o = s * per
            for i in o..<(o + per) {
                xp[i] = (1 - ts) * zp[i] + ts * ep[i]
                vp[i] = ep[i] - zp[i]
            }
        }
    }

    /// Logit-normal times t = sigmoid(u), u ~ N(mean, std), then shifted by `a`, into t (B).
    public static func sampleTimesteps(into t: Tensor, shift a: Double, rng: inout RandomGenerator,
                                       mean: Float = 0, std: Float = 1) {
        let tp = t.pointer
        for i in 0..<t.count {
            let u = Double(mean + std * rng.normal())
            tp[i] = Float(shifted(1 / (1 + Foundation.exp(-u)), shift: a))
        }
    }

    /// The sampling grid: `steps + 1` times from 1 down to 0, uniform before the shift.
    public static func timeGrid(steps: Int, shift a: Double) -> [Double] {
        (0...steps).map { shifted(1 - Double($0) / Double(steps), shift: a) }
    }
}
