extension Ops {
    /// Sum of all elements (accumulated in Double).
    public static func sumForward(_ x: Tensor) -> Float {
        let p = x.pointer
        var s = 0.0
        var i = 0
        while i + 1024 <= x.count { s += Double(FastMath.sum(p + i, 1024)); i += 1024 }
        s += Double(FastMath.sum(p + i, x.count - i))
        return Float(s)
    }

    /// Backward of sum: dx += dSum.
    public static func sumBackward(dSum: Float, dx: Tensor) {
        let p = dx.pointer
        Parallel.chunks(dx.count, minChunk: 16384) { r in for i in r { p[i] += dSum } }
    }

    /// Mean of all elements.
    public static func meanForward(_ x: Tensor) -> Float { x.count == 0 ? 0 : sumForward(x) / Float(x.count) }

    /// Backward of mean: dx += dMean / N.
    public static func meanBackward(dMean: Float, dx: Tensor) { sumBackward(dSum: dMean / Float(max(dx.count, 1)), dx: dx) }

    /// Mean over the token axis: x (B, T, C) -> y (B, C) (pooling, e.g. pooled text for adaLN).
    public static func meanTokensForward(_ x: Tensor, y: Tensor) {
        let b = x.dim(0), t = x.dim(1), c = x.dim(2)
        precondition(y.count == b * c, "meanTokens output must be (B, C)")
        let xp = x.pointer, yp = y.pointer, inv = 1 / Float(t)
        for s in 0..<b {
            let yr = yp + s * c
            yr.update(repeating: 0, count: c)
            for tt in 0..<t { let xr = xp + (s * t + tt) * c; for i in 0..<c { yr[i] += xr[i] } }
            for i in 0..<c { yr[i] *= inv }
        }
    }

    /// Backward of meanTokens: dx[b, t] += dy[b] / T.
    public static func meanTokensBackward(dy: Tensor, dx: Tensor) {
        let b = dx.dim(0), t = dx.dim(1), c = dx.dim(2)
        let dyp = dy.pointer, dxp = dx.pointer, inv = 1 / Float(t)
        Parallel.chunks(b * t, minChunk: 16) { rows in
            for r in rows { let d = dyp + (r / t) * c; for i in 0..<c { dxp[r * c + i] += d[i] * inv } }
        }
    }
}
