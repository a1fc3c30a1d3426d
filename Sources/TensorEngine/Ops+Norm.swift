extension Ops {
    /// LayerNorm over the last axis: y = (x - mean) * rstd * w + b. x, y (rows, C); saves
    /// mean and rstd (rows) for backward so it never recomputes statistics.
    public static func layerNormForward(x: Tensor, weight: Tensor, bias: Tensor?, eps: Float,
                                        y: Tensor, mean: Tensor, rstd: Tensor) {
        let c = x.shape.last!, rows = x.rows
        precondition(y.count == x.count && weight.count == c && mean.count >= rows && rstd.count >= rows, "layerNorm shapes")
        let xp = x.pointer, yp = y.pointer, w = weight.pointer, b = bias?.pointer, mp = mean.pointer, rp = rstd.pointer
        Parallel.chunks(rows, minChunk: 16) { range in
            for r in range {
                let xr = xp + r * c, yr = yp + r * c
                let m = FastMath.sum(xr, c) / Float(c)
                let v = FastMath.sumSquaredDeviation(xr, c, m)
                let rs = 1 / (v / Float(c) + eps).squareRoot()
                mp[r] = m; rp[r] = rs
                if let b {
                    for i in 0..<c { yr[i] = (xr[i] - m) * rs * w[i] + b[i] }
                } else {
                    for i in 0..<c { yr[i] = (xr[i] - m) * rs * w[i] }
                }
            }
        }
    }

    /// Backward of `layerNormForward`: dx (+)= rstd * (dn - mean(dn) - n * mean(dn * n)) with
    /// n the normalised input and dn = dy * w; dw += sum dy * n; db += sum dy.
    public static func layerNormBackward(dy: Tensor, x: Tensor, weight: Tensor, mean: Tensor, rstd: Tensor,
                                         dx: Tensor?, dWeight: Tensor?, dBias: Tensor?, accumulate: Bool = true) {
        let c = x.shape.last!, rows = x.rows
        let threads = Engine.threads
        let needParams = dWeight != nil || dBias != nil
        let partial = Scratch.floats(threads * 2 * c, slot: .reduction)
        if needParams { partial.update(repeating: 0, count: threads * 2 * c) }
        let xp = x.pointer, dyp = dy.pointer, w = weight.pointer, mp = mean.pointer, rp = rstd.pointer
        let dxp = dx?.pointer
        Parallel.chunksIndexed(rows, minChunk: 16) { t, range in
            let dwAcc = partial + t * 2 * c, dbAcc = dwAcc + c
            for r in range {
                let xr = xp + r * c, dyr = dyp + r * c
                let m = mp[r], rs = rp[r]
                var accDn = FastMath.V(repeating: 0), accDnN = FastMath.V(repeating: 0)
                let mv = FastMath.V(repeating: m), rv = FastMath.V(repeating: rs)
                FastMath.forEachChunk(0..<c) { i, lanes in
                    let n = (FastMath.get(xr + i, lanes) - mv) * rv
                    let d = FastMath.get(dyr + i, lanes)
                    let dn = d * FastMath.get(w + i, lanes)
                    accDn += dn; accDnN += dn * n
                    if needParams {
                        FastMath.put(FastMath.get(dwAcc + i, lanes) + d * n, dwAcc + i, lanes)
                        FastMath.put(FastMath.get(dbAcc + i, lanes) + d, dbAcc + i, lanes)
                    }
                }
                let sumDn = accDn.sum(), sumDnN = accDnN.sum()
                guard let dxp else { continue }
                let a = sumDn / Float(c), bb = sumDnN / Float(c)
                let dxr = dxp + r * c
                if accumulate {
                    for i in 0..<c { dxr[i] += rs * (dyr[i] * w[i] - a - (xr[i] - m) * rs * bb) }
                } else {
                    for i in 0..<c { dxr[i] = rs * (dyr[i] * w[i] - a - (xr[i] - m) * rs * bb) }
                }
            }
        }
        if needParams {
            for t in 0..<threads {
                let dwAcc = partial + t * 2 * c, dbAcc = dwAcc + c
                if let dw = dWeight?.pointer { for i in 0..<c { dw[i] += dwAcc[i] } }
                if let db = dBias?.pointer { for i in 0..<c { db[i] += dbAcc[i] } }
            }
        }
    }

    /// RMSNorm (T5 / LLaMA): y = x * rstd * w with rstd = 1 / sqrt(mean(x^2) + eps); saves rstd (rows).
    public static func rmsNormForward(x: Tensor, weight: Tensor, eps: Float, y: Tensor, rstd: Tensor) {
        let c = x.shape.last!, rows = x.rows
        precondition(y.count == x.count && weight.count == c && rstd.count >= rows, "rmsNorm shapes")
        let xp = x.pointer, yp = y.pointer, w = weight.pointer, rp = rstd.pointer
        Parallel.chunks(rows, minChunk: 16) { range in
            for r in range {
                let xr = xp + r * c, yr = yp + r * c
                let s = FastMath.dot(xr, xr, c)
                let rs = 1 / (s / Float(c) + eps).squareRoot()
                rp[r] = rs
                for i in 0..<c { yr[i] = xr[i] * rs * w[i] }
            }
        }
    }

    /// Backward of `rmsNormForward`: dx (+)= rstd * (dn - n * mean(dn * n)), dn = dy * w, n = x * rstd;
    /// dw += sum dy * n.
    public static func rmsNormBackward(dy: Tensor, x: Tensor, weight: Tensor, rstd: Tensor,
                                       dx: Tensor?, dWeight: Tensor?, accumulate: Bool = true) {
        let c = x.shape.last!, rows = x.rows
        let threads = Engine.threads
        let partial = Scratch.floats(threads * c, slot: .reduction)
        if dWeight != nil { partial.update(repeating: 0, count: threads * c) }
        let needW = dWeight != nil
        let xp = x.pointer, dyp = dy.pointer, w = weight.pointer, rp = rstd.pointer, dxp = dx?.pointer
        Parallel.chunksIndexed(rows, minChunk: 16) { t, range in
            let dwAcc = partial + t * c
            for r in range {
                let xr = xp + r * c, dyr = dyp + r * c, rs = rp[r]
                var sumDnN: Float = 0
                for i in 0..<c {
                    let n = xr[i] * rs
                    sumDnN += dyr[i] * w[i] * n
                    if needW { dwAcc[i] += dyr[i] * n }
                }
                guard let dxp else { continue }
                let bb = sumDnN / Float(c)
                let dxr = dxp + r * c
                if accumulate {
                    for i in 0..<c { dxr[i] += rs * (dyr[i] * w[i] - xr[i] * rs * bb) }
                } else {
                    for i in 0..<c { dxr[i] = rs * (dyr[i] * w[i] - xr[i] * rs * bb) }
                }
            }
        }
        if let dw = dWeight?.pointer {
            for t in 0..<threads { let acc = partial + t * c; for i in 0..<c { dw[i] += acc[i] } }
        }
    }
}
