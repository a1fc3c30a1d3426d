/// A trainable tensor and its gradient (same shape). Gradients accumulate across backward calls
/// until `zeroGrad()`; `frozen` parameters get no gradient updates from optimizers.
public final class Parameter {
    public let value: Tensor
    public let grad: Tensor
    public var frozen = false

    public init(_ shape: [Int]) {
        value = Tensor(zeros: shape)
        grad = Tensor(zeros: shape)
    }

    /// A parameter viewing existing value/gradient memory (e.g. q, k and v weights as row blocks of
    /// one packed (3C, C) matrix, so the three projections run as one GEMM).
    public init(value: Tensor, grad: Tensor) {
        precondition(value.shape == grad.shape, "parameter value and grad shapes differ")
        self.value = value
        self.grad = grad
    }

    /// `count` parameters of `shape` laid out back to back in one packed tensor (count * shape[0], ...).
    public static func packed(_ count: Int, _ shape: [Int]) -> (packed: Parameter, parts: [Parameter]) {
        let whole = Parameter([count * shape[0]] + shape.dropFirst())
        let parts = (0..<count).map { i in
            Parameter(value: whole.value.slice(first: i * shape[0]..<(i + 1) * shape[0]),
                      grad: whole.grad.slice(first: i * shape[0]..<(i + 1) * shape[0]))
        }
        return (whole, parts)
    }

    public var shape: [Int] { value.shape }
    public func zeroGrad() { grad.zero() }
}
