/// LayerNorm over the last axis with weight and optional bias (PyTorch `nn.LayerNorm`).
public final class LayerNorm: NormLayer {
    public let dim: Int
    public let eps: Float
    public let weight: Parameter
    public let bias: Parameter?

    private var input: Tensor?
    private let outSlot = TensorSlot(), meanSlot = TensorSlot(), rstdSlot = TensorSlot()

    public init(_ dim: Int, eps: Float = 1e-5, bias: Bool = true) {
        self.dim = dim
        self.eps = eps
        weight = Parameter([dim])
        weight.value.fill(1)
        self.bias = bias ? Parameter([dim]) : nil
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = [(prefix + "weight", weight)]
        if let bias { r.append((prefix + "bias", bias)) }
        return r
    }

    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == dim, "LayerNorm expects (..., \(dim)), got \(x.shape)")
        input = x
        let y = outSlot.tensor(like: x)
        Ops.layerNormForward(x: x, weight: weight.value, bias: bias?.value, eps: eps, y: y,
                             mean: meanSlot.tensor(x.rows), rstd: rstdSlot.tensor(x.rows))
        return y
    }

    public func backward(_ dy: Tensor, dx: Tensor, accumulate: Bool) {
        guard let x = input else { preconditionFailure("LayerNorm.backward before forward") }
        Ops.layerNormBackward(dy: dy, x: x, weight: weight.value, mean: meanSlot.tensor(x.rows),
                              rstd: rstdSlot.tensor(x.rows), dx: dx, dWeight: weight.frozen ? nil : weight.grad,
                              dBias: bias.flatMap { $0.frozen ? nil : $0.grad }, accumulate: accumulate)
    }
}
