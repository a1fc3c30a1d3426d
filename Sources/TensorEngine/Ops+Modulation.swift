extension Ops {
    /// adaLN modulation: y (B, T, C) = x * (1 + scale[b]) + shift[b].
    public static func modulateForward(x: Tensor, shift: RowVectors, scale: RowVectors, y: Tensor) {
        let b = x.dim(0), t = x.dim(1), c = x.dim(2)
        let xp = x.pointer, yp = y.pointer
        Parallel.chunks(b * t, minChunk: 16) { rows in
            for r in rows {
                let sh = shift.pointer + (r / t) * shift.ld, sc = scale.pointer + (r / t) * scale.ld
                let xr = xp + r * c, yr = yp + r * c
                for i in 0..<c { yr[i] = xr[i] * (1 + sc[i]) + sh[i] }
            }
        }
    }

    /// Backward of modulate: dx (+)= dy * (1 + scale), dscale[b] += sum_t dy * x, dshift[b] += sum_t dy.
    /// Parallel over samples so each dshift/dscale row has one writer.
    public static func modulateBackward(dy: Tensor, x: Tensor, scale: RowVectors, dx: Tensor?,
                                        dShift: RowVectors?, dScale: RowVectors?, accumulate: Bool = true) {
        let b = x.dim(0), t = x.dim(1), c = x.dim(2)
        let xp = x.pointer, dyp = dy.pointer, dxp = dx?.pointer
        Parallel.chunks(b) { samples in
            for s in samples {
                let sc = scale.pointer + s * scale.ld
                let dsh = dShift.map { $0.pointer + s * $0.ld }, dsc = dScale.map { $0.pointer + s * $0.ld }
                for tt in 0..<t {
                    let o = (s * t + tt) * c
                    if let dxp {
                        if accumulate { for i in 0..<c { dxp[o + i] += dyp[o + i] * (1 + sc[i]) } }
                        else { for i in 0..<c { dxp[o + i] = dyp[o + i] * (1 + sc[i]) } }
                    }
                    if let dsh { for i in 0..<c { dsh[i] += dyp[o + i] } }
                    if let dsc { for i in 0..<c { dsc[i] += dyp[o + i] * xp[o + i] } }
                }
            }
        }
    }

    /// Gated residual (adaLN-Zero): y (B, T, C) = x + gate[b] * branch (y may alias x).
    public static func gatedResidualForward(x: Tensor, branch: Tensor, gate: RowVectors, y: Tensor) {
        let t = x.dim(1), c = x.dim(2)
        let xp = x.pointer, bp = branch.pointer, yp = y.pointer
        Parallel.chunks(x.dim(0) * t, minChunk: 16) { rows in
            for r in rows {
                let g = gate.pointer + (r / t) * gate.ld
                for i in 0..<c { yp[r * c + i] = xp[r * c + i] + g[i] * bp[r * c + i] }
            }
        }
    }

    /// Backward of the gated residual: dx (+)= dy, dbranch (+)= dy * gate[b], dgate[b] += sum_t dy * branch.
    public static func gatedResidualBackward(dy: Tensor, branch: Tensor, gate: RowVectors, dx: Tensor?,
                                             dBranch: Tensor?, dGate: RowVectors?, accumulate: Bool = true) {
        let b = dy.dim(0), t = dy.dim(1), c = dy.dim(2)
        if let dx { Ops.accumulate(dy, into: dx, accumulate: accumulate) }
        let dyp = dy.pointer, bp = branch.pointer, dbp = dBranch?.pointer
        Parallel.chunks(b) { samples in
            for s in samples {
                let g = gate.pointer + s * gate.ld, dg = dGate.map { $0.pointer + s * $0.ld }
                for tt in 0..<t {
                    let o = (s * t + tt) * c
                    if let dbp {
                        if accumulate { for i in 0..<c { dbp[o + i] += dyp[o + i] * g[i] } }
                        else { for i in 0..<c { dbp[o + i] = dyp[o + i] * g[i] } }
                    }
                    if let dg { for i in 0..<c { dg[i] += dyp[o + i] * bp[o + i] } }
                }
            }
        }
    }
}
