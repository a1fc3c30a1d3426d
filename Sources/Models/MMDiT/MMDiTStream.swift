import TensorEngine

/// One stream (text or image) of an MMDiT block: its own adaLN modulation, RMS norms (no weight:
/// the modulation scales), q/k/v and output projections and SwiGLU MLP. The block runs the joint
/// attention between `prepare` (norm, modulate, qkv) and `finish` (gated residuals, MLP).
///
/// A `contextOnly` stream (the text stream of the last block, as in SD3) only supplies keys and
/// values: it has no output projection or MLP and modulates with shift/scale only.
public final class MMDiTStream: Module {
    public let width: Int
    public let contextOnly: Bool
    /// SiLU(c) (B, W) -> (B, k W): [shift1, scale1, gate1, shift2, scale2, gate2] (k = 6), or
    /// [shift1, scale1] (k = 2) for a context-only stream. Zero-initialised (adaLN-Zero).
    public let modulation: Linear
    public let qkv: Linear
    public let proj: Linear?
    public let mlp: GatedFeedForward?
    private let eps: Float
    private let ones: Tensor

    private var input: Tensor?, savedModulation: Tensor?, attnOut: Tensor?, mlpOut: Tensor?
    private let n1Slot = TensorSlot(), m1Slot = TensorSlot(), rstd1Slot = TensorSlot()
    private let h1Slot = TensorSlot(), n2Slot = TensorSlot(), m2Slot = TensorSlot(), rstd2Slot = TensorSlot()
    private let outSlot = TensorSlot()
    private let dModSlot = TensorSlot(), dFSlot = TensorSlot(), dh1Slot = TensorSlot(), dn2Slot = TensorSlot()
    private let dOSlot = TensorSlot(), dhSlot = TensorSlot(), dn1Slot = TensorSlot()

    public init(width: Int, mlpHidden: Int, contextOnly: Bool, eps: Float) {
        self.width = width
        self.contextOnly = contextOnly
        self.eps = eps
        modulation = Linear(width, (contextOnly ? 2 : 6) * width)
        qkv = Linear(width, 3 * width)
        proj = contextOnly ? nil : Linear(width, width)
        mlp = contextOnly ? nil : GatedFeedForward(dim: width, hidden: mlpHidden, activation: .silu, bias: false)
        ones = Tensor(zeros: [width])
        ones.fill(1)
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = modulation.namedParameters(prefix: prefix + "adaLN_modulation.")
        r += qkv.namedParameters(prefix: prefix + "attn.qkv.")
        if let proj { r += proj.namedParameters(prefix: prefix + "attn.proj.") }
        if let mlp { r += mlp.namedParameters(prefix: prefix + "mlp.") }
        return r
    }

    private func chunk(_ t: Tensor, _ i: Int) -> Ops.RowVectors { Ops.RowVectors(chunk: i, width: width, of: t) }

    /// h (B, T, W), siluC (B, W) -> packed q/k/v (B, T, 3W) (layer-owned).
    func prepare(_ h: Tensor, siluC: Tensor) -> Tensor {
        input = h
        let mod = modulation.forward(siluC)                                   // (B, kW)
        savedModulation = mod
        let n1 = n1Slot.tensor(like: h)
        Ops.rmsNormForward(x: h, weight: ones, eps: eps, y: n1, rstd: rstd1Slot.tensor(h.rows))
        let m1 = m1Slot.tensor(like: h)
        Ops.modulateForward(x: n1, shift: chunk(mod, 0), scale: chunk(mod, 1), y: m1)
        return qkv.forward(m1)
    }

    /// Attention output of this stream's tokens (B, T, W) -> block output (B, T, W) (layer-owned).
    func finish(attention a: Tensor) -> Tensor {
        guard let h = input, let proj, let mlp else { preconditionFailure("MMDiTStream.finish on a context-only stream") }
        let mod = modulationOutput
        let o = proj.forward(a)
        attnOut = o
        let h1 = h1Slot.tensor(like: h)
        Ops.gatedResidualForward(x: h, branch: o, gate: chunk(mod, 2), y: h1)
        let n2 = n2Slot.tensor(like: h)
        Ops.rmsNormForward(x: h1, weight: ones, eps: eps, y: n2, rstd: rstd2Slot.tensor(h.rows))
        let m2 = m2Slot.tensor(like: h)
        Ops.modulateForward(x: n2, shift: chunk(mod, 3), scale: chunk(mod, 4), y: m2)
        let f = mlp.forward(m2)
        mlpOut = f
        let y = outSlot.tensor(like: h)
        Ops.gatedResidualForward(x: h1, branch: f, gate: chunk(mod, 5), y: y)
        return y
    }

    /// The modulation output (B, kW) of the last `prepare` (owned by the modulation Linear).
    private var modulationOutput: Tensor {
        guard let savedModulation else { preconditionFailure("MMDiTStream used before prepare") }
        return savedModulation
    }

    /// Gradient of `finish`: dy (B, T, W) -> d(attention output) (B, T, W). Starts this stream's
    /// modulation gradient (overwrites it).
    func backwardFinish(_ dy: Tensor) -> Tensor {
        guard let h = input, let o = attnOut, let f = mlpOut, let proj, let mlp else {
            preconditionFailure("MMDiTStream.backwardFinish before finish")
        }
        let mod = modulationOutput
        let dMod = dModSlot.tensor(like: mod)
        dMod.zero()
        let h1 = h1Slot.tensor(like: h), n2 = n2Slot.tensor(like: h)
        let dh1 = dh1Slot.tensor(like: h), dF = dFSlot.tensor(like: h)
        Ops.gatedResidualBackward(dy: dy, branch: f, gate: chunk(mod, 5), dx: dh1, dBranch: dF, dGate: chunk(dMod, 5), accumulate: false)
        let dm2 = mlp.backward(dF)
        let dn2 = dn2Slot.tensor(like: h)
        Ops.modulateBackward(dy: dm2, x: n2, scale: chunk(mod, 4), dx: dn2, dShift: chunk(dMod, 3), dScale: chunk(dMod, 4), accumulate: false)
        Ops.rmsNormBackward(dy: dn2, x: h1, weight: ones, rstd: rstd2Slot.tensor(h.rows), dx: dh1, dWeight: nil, accumulate: true)
        let dO = dOSlot.tensor(like: h), dh = dhSlot.tensor(like: h)
        Ops.gatedResidualBackward(dy: dh1, branch: o, gate: chunk(mod, 2), dx: dh, dBranch: dO, dGate: chunk(dMod, 2), accumulate: false)
        return proj.backward(dO)!
    }

    /// Gradient of `prepare`: d(qkv) (B, T, 3W) -> dh (B, T, W) (layer-owned; for a full stream it
    /// adds to the residual gradient left by `backwardFinish`). Adds the modulation's input
    /// gradient into `dSiluC` (B, W).
    func backwardPrepare(_ dqkv: Tensor, dSiluC: Tensor) -> Tensor {
        guard let h = input else { preconditionFailure("MMDiTStream.backwardPrepare before prepare") }
        let mod = modulationOutput
        let dMod = dModSlot.tensor(like: mod)
        if contextOnly { dMod.zero() }
        let dm1 = qkv.backward(dqkv)!
        let n1 = n1Slot.tensor(like: h), dn1 = dn1Slot.tensor(like: h)
        Ops.modulateBackward(dy: dm1, x: n1, scale: chunk(mod, 1), dx: dn1, dShift: chunk(dMod, 0), dScale: chunk(dMod, 1), accumulate: false)
        let dh = dhSlot.tensor(like: h)
        Ops.rmsNormBackward(dy: dn1, x: h, weight: ones, rstd: rstd1Slot.tensor(h.rows), dx: dh, dWeight: nil, accumulate: !contextOnly)
        modulation.backward(dMod, accumulateInto: dSiluC)
        return dh
    }
}
