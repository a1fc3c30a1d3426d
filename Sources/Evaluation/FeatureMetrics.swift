import Foundation
import TensorEngine

/// Reconstruction figures shared by validation and `eval fae`.
public enum FeatureMetrics {
    /// Mean over tokens of cos(a_i, b_i) for (B, N, C) tensors.
    public static func meanCosine(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape, "cosine of \(a.shape) and \(b.shape)")
        let c = a.dim(-1), rows = a.count / c
        var total = 0.0
        for r in 0..<rows {
            let x = a.pointer + r * c, y = b.pointer + r * c
            let dot = FastMath.dot(x, y, c), nx = FastMath.dot(x, x, c), ny = FastMath.dot(y, y, c)
            total += Double(dot / max((nx * ny).squareRoot(), 1e-12))
        }
        return Float(total / Double(rows))
    }

    /// Mean squared error of two equal-shaped tensors.
    public static func mse(_ a: Tensor, _ b: Tensor) -> Float {
        precondition(a.shape == b.shape, "mse of \(a.shape) and \(b.shape)")
        var total = 0.0
        for i in 0..<a.count { let d = Double(a.pointer[i] - b.pointer[i]); total += d * d }
        return Float(total / Double(a.count))
    }

    /// Mean over images of the PSNR (dB) of (B, 3, H, W) images in [-1, 1], after clamping the
    /// prediction to [-1, 1] and rounding both to 8-bit levels as a saved image would be.
    public static func meanPSNR(_ prediction: Tensor, _ target: Tensor) -> Float {
        precondition(prediction.shape == target.shape, "psnr of \(prediction.shape) and \(target.shape)")
        let b = prediction.dim(0), n = prediction.count / b
        var total = 0.0
        for i in 0..<b {
            var sum = 0.0
            for k in 0..<n {
                let p = (min(max(prediction.pointer[i * n + k], -1), 1) + 1) * 127.5
                let t = (target.pointer[i * n + k] + 1) * 127.5
                let d = Double(p.rounded() - t.rounded())
                sum += d * d
            }
            let mse = max(sum / Double(n), 1e-10)
            total += 10 * log10(255 * 255 / mse)
        }
        return Float(total / Double(b))
    }
}
