/// Gradient clipping by global L2 norm (`torch.nn.utils.clip_grad_norm_`).
public enum GradientClipping {
    /// The global L2 norm of all gradients (accumulated in Double).
    public static func globalNorm(_ params: [Parameter]) -> Float {
        var s = 0.0
        for p in params {
            let g = p.grad.pointer
            var i = 0
            while i < p.grad.count {
                let n = min(1024, p.grad.count - i)
                s += Double(FastMath.dot(g + i, g + i, n))
                i += n
            }
        }
        return Float(s.squareRoot())
    }

    /// Scales all gradients by maxNorm / (norm + 1e-6) when the norm exceeds maxNorm; returns the
    /// norm before clipping.
    @discardableResult
    public static func clip(_ params: [Parameter], maxNorm: Float) -> Float {
        let norm = globalNorm(params)
        let coef = maxNorm / (norm + 1e-6)
        if coef < 1 { for p in params { Ops.scale(p.grad, by: coef) } }
        return norm
    }
}
