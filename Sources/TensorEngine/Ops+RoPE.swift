extension Ops {
    /// Rotates q or k heads in place: each pair (x1, x2) -> (x1 cos - x2 sin, x1 sin + x2 cos).
    /// `inverse` rotates by -angle, which is exactly the backward (a rotation's transpose), so the
    /// backward also runs in place on the gradient and needs nothing saved.
    public static func ropeApply(_ table: RoPETable, x: HeadLayout, batch: Int, tokens: Int, heads: Int,
                                 inverse: Bool = false) {
        precondition(tokens <= table.tokens, "RoPE table has \(table.tokens) tokens, need \(tokens)")
        let d = table.headDim, half = d / 2
        let cp = table.cos.pointer, sp = table.sin.pointer
        let sign: Float = inverse ? -1 : 1
        let (stride, second) = table.pairing == .half ? (1, half) : (2, 1)
        Parallel.chunks(batch * tokens, minChunk: 16) { range in
            for bt in range {
                let b = bt / tokens, t = bt % tokens
                let c = cp + t * half, s = sp + t * half
                for h in 0..<heads {
                    let base = x.pointer + b * x.batchStride + t * x.rowStride + h * d
                    for i in 0..<half {
                        let p1 = base + i * stride, p2 = p1 + second
                        let x1 = p1.pointee, x2 = p2.pointee
                        let si = sign * s[i]
                        p1.pointee = x1 * c[i] - x2 * si
                        p2.pointee = x1 * si + x2 * c[i]
                    }
                }
            }
        }
    }
}
