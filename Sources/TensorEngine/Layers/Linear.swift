/// y (..., out) = x (..., in) W^T + b with W (out, in) in PyTorch layout.
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    /// Set false for the first layer on raw data to skip computing dx.
    public var needsInputGradient = true

    private var input: Tensor?
    private let outSlot = TensorSlot(), dxSlot = TensorSlot()

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter([outFeatures, inFeatures])
        self.bias = bias ? Parameter([outFeatures]) : nil
    }

    /// A linear layer over existing parameters (weight (out, in), bias (out)), e.g. views into a
    /// packed projection.
    public init(weight: Parameter, bias: Parameter?) {
        precondition(weight.shape.count == 2 && bias.map { $0.shape == [weight.shape[0]] } ?? true, "Linear parameter shapes")
        self.outFeatures = weight.shape[0]
        self.inFeatures = weight.shape[1]
        self.weight = weight
        self.bias = bias
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = [(prefix + "weight", weight)]
        if let bias { r.append((prefix + "bias", bias)) }
        return r
    }

    /// PyTorch's default init: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
    public func initialize(_ rng: inout RandomGenerator) {
        let bound = 1 / Float(inFeatures).squareRoot()
        rng.fillUniform(weight.value, low: -bound, high: bound)
        if let bias { rng.fillUniform(bias.value, low: -bound, high: bound) }
    }

    /// (..., in) -> (..., out); the output buffer is owned by the layer and reused.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == inFeatures, "Linear expects (..., \(inFeatures)), got \(x.shape)")
        input = x
        let y = outSlot.tensor(like: x, lastDim: outFeatures)
        Ops.linearForward(x: x, weight: weight.value, bias: bias?.value, y: y)
        return y
    }

    /// x W^T without the bias, for callers that fuse the bias into the next op (e.g.
    /// `Ops.biasActivationForward`); backward is unchanged (db is the column sum of dy).
    public func forwardWithoutBias(_ x: Tensor) -> Tensor {
        precondition(x.shape.last == inFeatures, "Linear expects (..., \(inFeatures)), got \(x.shape)")
        input = x
        let y = outSlot.tensor(like: x, lastDim: outFeatures)
        Ops.linearForward(x: x, weight: weight.value, bias: nil, y: y)
        return y
    }

    /// Accumulates dW, db; returns dx in a layer-owned buffer (overwritten each call).
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard let x = input else { preconditionFailure("Linear.backward before forward") }
        let dx = needsInputGradient ? dxSlot.tensor(like: x) : nil
        Ops.linearBackward(dy: dy, x: x, weight: weight.value, dx: dx, dWeight: weight.frozen ? nil : weight.grad,
                           dBias: bias.flatMap { $0.frozen ? nil : $0.grad }, accumulate: false)
        return dx
    }

    /// Accumulates dW, db and adds dx into `dx`.
    public func backward(_ dy: Tensor, accumulateInto dx: Tensor) {
        guard let x = input else { preconditionFailure("Linear.backward before forward") }
        Ops.linearBackward(dy: dy, x: x, weight: weight.value, dx: dx, dWeight: weight.frozen ? nil : weight.grad,
                           dBias: bias.flatMap { $0.frozen ? nil : $0.grad }, accumulate: true)
    }
}
