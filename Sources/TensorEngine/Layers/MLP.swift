/// x (..., C) -> fc2(act(fc1(x))) (..., C) with hidden width H.
public final class MLP: FeedForward {
    public let fc1: Linear, fc2: Linear
    public let activation: Ops.Activation
    /// Parameter names of fc1 and fc2 relative to the MLP prefix.
    public let names: [String]
    public var needsInputGradient: Bool {
        get { fc1.needsInputGradient }
        set { fc1.needsInputGradient = newValue }
    }

    private let actSlot = TensorSlot()
    private var hidden: Tensor?

    public init(dim: Int, hidden: Int, activation: Ops.Activation = .gelu, bias: Bool = true, names: [String] = ["fc1", "fc2"]) {
        precondition(names.count == 2, "MLP needs two parameter names")
        fc1 = Linear(dim, hidden, bias: bias)
        fc2 = Linear(hidden, dim, bias: bias)
        self.activation = activation
        self.names = names
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        fc1.namedParameters(prefix: prefix + names[0] + ".") + fc2.namedParameters(prefix: prefix + names[1] + ".")
    }

    public func initialize(_ rng: inout RandomGenerator) { fc1.initialize(&rng); fc2.initialize(&rng) }

    public func forward(_ x: Tensor) -> Tensor {
        let h = fc1.forwardWithoutBias(x)                        // (..., H) pre-activation, kept for backward
        hidden = h
        let a = actSlot.tensor(like: h)
        if let b = fc1.bias { Ops.biasActivationForward(activation, h: h, bias: b.value, y: a) }
        else { Ops.activationForward(activation, x: h, y: a) }
        return fc2.forward(a)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let da = fc2.backward(dy)!                               // (..., H)
        guard let h = hidden else { preconditionFailure("MLP.backward before forward") }
        Ops.activationBackward(activation, dy: da, x: h, dx: da, accumulate: false)   // in place
        return fc1.backward(da) ?? da
    }
}
