/// RMSNorm over the last axis with a weight and no bias (T5 `T5LayerNorm`, LLaMA `RMSNorm`).
public final class RMSNorm: NormLayer {
    public let dim: Int
    public let eps: Float
    public let weight: Parameter

    private var input: Tensor?
    private let outSlot = TensorSlot(), rstdSlot = TensorSlot()

    public init(_ dim: Int, eps: Float = 1e-6) {
        self.dim = dim
        self.eps = eps
        weight = Parameter([dim])
        weight.value.fill(1)
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] { [(prefix + "weight", weight)] }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == dim, "RMSNorm expects (..., \(dim)), got \(x.shape)")
        input = x
        let y = outSlot.tensor(like: x)
        Ops.rmsNormForward(x: x, weight: weight.value, eps: eps, y: y, rstd: rstdSlot.tensor(x.rows))
        return y
    }

    public func backward(_ dy: Tensor, dx: Tensor, accumulate: Bool) {
        guard let x = input else { preconditionFailure("RMSNorm.backward before forward") }
        Ops.rmsNormBackward(dy: dy, x: x, weight: weight.value, rstd: rstdSlot.tensor(x.rows), dx: dx,
                            dWeight: weight.frozen ? nil : weight.grad, accumulate: accumulate)
    }
}
