extension Ops {
    @inline(__always)
    static func activate(_ a: Activation, _ x: FastMath.V) -> FastMath.V {
        switch a {
        case .gelu: return 0.5 * x * (1 + FastMath.erf(x * 0.7071067811865476))
        case .geluTanh:
            let u = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            return 0.5 * x * (1 + FastMath.tanh(u))
        case .silu: return x * FastMath.sigmoid(x)
        case .relu: return x.replacing(with: 0, where: x .< 0)
        }
    }

    /// d activation / dx at x.
    @inline(__always)
    static func activationDerivative(_ a: Activation, _ x: FastMath.V) -> FastMath.V {
        activateWithDerivative(a, x).derivative
    }

    /// act(x) and act'(x), sharing the erf / tanh / sigmoid between them (the gated unit's backward
    /// needs both). The value is computed as `activate` computes it, so forward and backward agree bit for bit.
    @inline(__always)
    static func activateWithDerivative(_ a: Activation, _ x: FastMath.V) -> (value: FastMath.V, derivative: FastMath.V) {
        switch a {
        case .gelu:
            let cdf: FastMath.V = 0.5 * (1 + FastMath.erf(x * 0.7071067811865476))
            let pdf: FastMath.V = 0.3989422804014327 * FastMath.exp(-0.5 * x * x)
            return (x * cdf, cdf + x * pdf)
        case .geluTanh:
            let u: FastMath.V = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            let th = FastMath.tanh(u)
            let inner: FastMath.V = 0.7978845608028654 * (1 + 0.134145 * x * x)
            let sech2: FastMath.V = 1 - th * th
            let left: FastMath.V = 0.5 * (1 + th)
            return (0.5 * x * (1 + th), left + 0.5 * x * sech2 * inner)
        case .silu:
            let s = FastMath.sigmoid(x)
            return (x * s, s * (1 + x * (1 - s)))
        case .relu:
            return (x.replacing(with: 0, where: x .< 0), FastMath.V(repeating: 1).replacing(with: 0, where: x .<= 0))
        }
    }

    /// y = act(x), element-wise over any shape (y may alias x).
    public static func activationForward(_ kind: Activation, x: Tensor, y: Tensor) {
        precondition(x.count == y.count, "activation shapes")
        let xp = x.pointer, yp = y.pointer
        Parallel.chunks(x.count, minChunk: 4096) { range in
            FastMath.forEachChunk(range) { i, n in
                FastMath.put(activate(kind, FastMath.get(xp + i, n)), yp + i, n)
            }
        }
    }

    /// Bias add fused with the activation: h (rows, C) += b (in place, so backward sees the
    /// pre-activation), y = act(h). Saves the separate bias pass of a linear layer.
    public static func biasActivationForward(_ kind: Activation, h: Tensor, bias: Tensor, y: Tensor) {
        let c = bias.count
        precondition(h.shape.last == c && y.count == h.count, "bias-activation shapes")
        let hp = h.pointer, bp = bias.pointer, yp = y.pointer
        Parallel.chunks(h.rows, minChunk: 8) { rows in
            for r in rows {
                let hr = hp + r * c, yr = yp + r * c
                FastMath.forEachChunk(0..<c) { i, n in
                    let v = FastMath.get(hr + i, n) + FastMath.get(bp + i, n)
                    FastMath.put(v, hr + i, n)
                    FastMath.put(activate(kind, v), yr + i, n)
                }
            }
        }
    }

    /// dx (+)= dy * act'(x). With `accumulate: false`, dx may alias dy.
    public static func activationBackward(_ kind: Activation, dy: Tensor, x: Tensor, dx: Tensor, accumulate: Bool = true) {
        precondition(x.count == dy.count && dx.count == x.count, "activation shapes")
        let xp = x.pointer, dyp = dy.pointer, dxp = dx.pointer
        Parallel.chunks(x.count, minChunk: 4096) { range in
            FastMath.forEachChunk(range) { i, n in
                var g = FastMath.get(dyp + i, n) * activationDerivative(kind, FastMath.get(xp + i, n))
                if accumulate { g += FastMath.get(dxp + i, n) }
                FastMath.put(g, dxp + i, n)
            }
        }
    }

    /// Gated unit: y = act(gate) * up, with gate and up (rows, H) given as the two halves of one
    /// (rows, 2H) tensor `x` ([gate | up]) — SwiGLU with `.silu`, T5 gated-GELU with `.geluTanh`.
    /// Layers that keep two separate projections write them into the halves of one buffer via ld.
    public static func gatedForward(_ kind: Activation, x: Tensor, y: Tensor) {
        let h = y.shape.last!, rows = y.rows
        precondition(x.shape.last! == 2 * h && x.rows == rows, "gated unit expects x (rows, 2H), y (rows, H)")
        let xp = x.pointer, yp = y.pointer
        Parallel.chunks(rows, minChunk: 8) { range in
            for r in range {
                let g = xp + r * 2 * h, u = g + h, yr = yp + r * h
                FastMath.forEachChunk(0..<h) { i, n in
                    FastMath.put(activate(kind, FastMath.get(g + i, n)) * FastMath.get(u + i, n), yr + i, n)
                }
            }
        }
    }

    /// Backward of `gatedForward`: dgate (+)= dy * up * act'(gate), dup (+)= dy * act(gate).
    public static func gatedBackward(_ kind: Activation, dy: Tensor, x: Tensor, dx: Tensor, accumulate: Bool = true) {
        let h = dy.shape.last!, rows = dy.rows
        precondition(x.count == 2 * dy.count && dx.count == x.count, "gated unit shapes")
        let xp = x.pointer, dyp = dy.pointer, dxp = dx.pointer
        Parallel.chunks(rows, minChunk: 8) { range in
            for r in range {
                let g = xp + r * 2 * h, u = g + h, d = dyp + r * h
                let dg = dxp + r * 2 * h, du = dg + h
                FastMath.forEachChunk(0..<h) { i, n in
                    let gv = FastMath.get(g + i, n), uv = FastMath.get(u + i, n), dv = FastMath.get(d + i, n)
                    let (act, derivative) = activateWithDerivative(kind, gv)
                    var dgv = dv * uv * derivative
                    var duv = dv * act
                    if accumulate { dgv += FastMath.get(dg + i, n); duv += FastMath.get(du + i, n) }
                    FastMath.put(dgv, dg + i, n); FastMath.put(duv, du + i, n)
                }
            }
        }
    }
}
