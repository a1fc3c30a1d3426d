extension Ops {
    /// y = a + b (same shapes; y may alias a or b).
    public static func addForward(_ a: Tensor, _ b: Tensor, y: Tensor) {
        precondition(a.count == b.count && y.count == a.count, "add shapes")
        let ap = a.pointer, bp = b.pointer, yp = y.pointer
        Parallel.chunks(a.count, minChunk: 16384) { r in for i in r { yp[i] = ap[i] + bp[i] } }
    }

    /// Backward of add: da += dy, db += dy.
    public static func addBackward(dy: Tensor, da: Tensor?, db: Tensor?) {
        for d in [da, db] { if let d { accumulate(dy, into: d) } }
    }

    /// y = a * b element-wise.
    public static func mulForward(_ a: Tensor, _ b: Tensor, y: Tensor) {
        precondition(a.count == b.count && y.count == a.count, "mul shapes")
        let ap = a.pointer, bp = b.pointer, yp = y.pointer
        Parallel.chunks(a.count, minChunk: 16384) { r in for i in r { yp[i] = ap[i] * bp[i] } }
    }

    /// Backward of mul: da += dy * b, db += dy * a.
    public static func mulBackward(dy: Tensor, a: Tensor, b: Tensor, da: Tensor?, db: Tensor?) {
        let dyp = dy.pointer, ap = a.pointer, bp = b.pointer, dap = da?.pointer, dbp = db?.pointer
        Parallel.chunks(dy.count, minChunk: 16384) { r in
            if let dap { for i in r { dap[i] += dyp[i] * bp[i] } }
            if let dbp { for i in r { dbp[i] += dyp[i] * ap[i] } }
        }
    }

    /// dst += src (or dst = src with `accumulate: false`).
    public static func accumulate(_ src: Tensor, into dst: Tensor, accumulate: Bool = true) {
        precondition(src.count == dst.count, "accumulate shapes \(src.shape) into \(dst.shape)")
        let s = src.pointer, d = dst.pointer
        if !accumulate { d.update(from: s, count: src.count); return }
        Parallel.chunks(src.count, minChunk: 16384) { r in for i in r { d[i] += s[i] } }
    }

    /// dst *= alpha
    public static func scale(_ t: Tensor, by alpha: Float) {
        let p = t.pointer
        Parallel.chunks(t.count, minChunk: 16384) { r in for i in r { p[i] *= alpha } }
    }

    // MARK: - Row broadcasting over the last axis

    /// y (rows, C) = x (rows, C) + v (C) — bias add / learned position offsets per channel.
    public static func addRowForward(_ x: Tensor, row v: Tensor, y: Tensor) {
        let c = v.count
        precondition(x.shape.last == c && y.count == x.count, "addRow shapes")
        let xp = x.pointer, vp = v.pointer, yp = y.pointer
        Parallel.chunks(x.rows, minChunk: 64) { rows in
            for r in rows { for i in 0..<c { yp[r * c + i] = xp[r * c + i] + vp[i] } }
        }
    }

    /// Backward of addRow: dx += dy, dv += column sums of dy.
    public static func addRowBackward(dy: Tensor, dx: Tensor?, dRow: Tensor?) {
        if let dx { accumulate(dy, into: dx) }
        if let dRow { columnSum(Matrix(dy), into: dRow.pointer) }
    }

    /// y (rows, C) = x (rows, C) * g (C) — per-channel scale (LayerScale).
    public static func mulRowForward(_ x: Tensor, row g: Tensor, y: Tensor) {
        let c = g.count
        precondition(x.shape.last == c && y.count == x.count, "mulRow shapes")
        let xp = x.pointer, gp = g.pointer, yp = y.pointer
        Parallel.chunks(x.rows, minChunk: 64) { rows in
            for r in rows { for i in 0..<c { yp[r * c + i] = xp[r * c + i] * gp[i] } }
        }
    }

    /// Backward of mulRow: dx (+)= dy * g, dg += sum_rows dy * x.
    public static func mulRowBackward(dy: Tensor, x: Tensor, row g: Tensor, dx: Tensor?, dRow: Tensor?, accumulate: Bool = true) {
        let c = g.count, rows = x.rows
        let threads = Engine.threads
        let partial = Scratch.floats(threads * c, slot: .reduction)
        partial.update(repeating: 0, count: threads * c)
        let dyp = dy.pointer, xp = x.pointer, gp = g.pointer, dxp = dx?.pointer
        Parallel.chunksIndexed(rows, minChunk: 64) { t, range in
            let acc = partial + t * c
            for r in range {
                let o = r * c
                if let dxp {
                    if accumulate { for i in 0..<c { dxp[o + i] += dyp[o + i] * gp[i] } }
                    else { for i in 0..<c { dxp[o + i] = dyp[o + i] * gp[i] } }
                }
                for i in 0..<c { acc[i] += dyp[o + i] * xp[o + i] }
            }
        }
        if let dg = dRow?.pointer { for t in 0..<threads { for i in 0..<c { dg[i] += partial[t * c + i] } } }
    }

    /// Residual with optional per-channel scale: y = x + g * branch (g = LayerScale, nil = 1).
    public static func residualForward(x: Tensor, branch: Tensor, gamma: Tensor?, y: Tensor) {
        precondition(x.count == branch.count && y.count == x.count, "residual shapes")
        let xp = x.pointer, bp = branch.pointer, yp = y.pointer
        guard let gp = gamma?.pointer else {
            Parallel.chunks(x.count, minChunk: 16384) { r in for i in r { yp[i] = xp[i] + bp[i] } }
            return
        }
        let c = gamma!.count
        Parallel.chunks(x.rows, minChunk: 64) { rows in
            for r in rows { for i in 0..<c { yp[r * c + i] = xp[r * c + i] + gp[i] * bp[r * c + i] } }
        }
    }
}
