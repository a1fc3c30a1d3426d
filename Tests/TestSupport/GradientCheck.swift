/// Central finite-difference gradient checker (ggml `test-backend-ops` style), independent of the
/// engine's types: callers pass the raw float buffers to perturb, the analytic gradients computed by
/// their backward pass, and a closure that recomputes the scalar loss (in Double) from scratch.
public enum GradientCheck {
    /// Returns a description of every mismatching element (empty when all agree).
    /// Checks at most `maxChecksPerInput` evenly spaced elements per buffer to keep tests fast.
    /// |numeric - analytic| must be <= atol + rtol * max(|numeric|, |analytic|).
    public static func check(_ values: [UnsafeMutableBufferPointer<Float>], analytic: [[Float]],
                             eps: Float = 1e-2, rtol: Double = 2e-2, atol: Double = 2e-3,
                             maxChecksPerInput: Int = 48, loss: () -> Double) -> [String] {
        precondition(values.count == analytic.count, "one analytic gradient per buffer")
        var failures: [String] = []
        for (k, buffer) in values.enumerated() {
            precondition(buffer.count == analytic[k].count, "gradient \(k) has the wrong size")
            let n = buffer.count
            let step = max(1, n / maxChecksPerInput)
            var i = 0
            while i < n {
                let saved = buffer[i]
                buffer[i] = saved + eps
                let up = loss()
                buffer[i] = saved - eps
                let down = loss()
                buffer[i] = saved
                let numeric = (up - down) / (2 * Double(eps))
                let a = Double(analytic[k][i])
                if abs(numeric - a) > atol + rtol * max(abs(numeric), abs(a)) {
                    failures.append("input \(k)[\(i)]: numeric \(numeric) vs analytic \(a)")
                }
                i += step
            }
        }
        return failures
    }
}
