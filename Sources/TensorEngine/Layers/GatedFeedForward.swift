/// x (..., C) -> down(act(gate(x)) * up(x)) (..., C): SwiGLU (`.silu`) or T5 gated-GELU (`.geluTanh`).
/// gate and up are row blocks of one packed (2H, C) weight, so both projections are one GEMM whose
/// (..., 2H) output is exactly the [gate | up] layout `Ops.gatedForward` reads.
public final class GatedFeedForward: FeedForward {
    public let gate: Linear, up: Linear, down: Linear
    public let activation: Ops.Activation
    /// Names of gate, up and down relative to the prefix.
    public let names: [String]
    public var needsInputGradient = true

    /// The packed [gate | up] projection (2H, C): checkpoints that store it as one tensor
    /// (DINOv2 SwiGLU `mlp.weights_in`) load into it directly.
    public let packed: Linear
    private let actSlot = TensorSlot(), dGateUpSlot = TensorSlot()
    private var gateUp: Tensor?

    public init(dim: Int, hidden: Int, activation: Ops.Activation = .silu, bias: Bool = false,
                names: [String] = ["w1", "w3", "w2"]) {
        precondition(names.count == 3, "gated feed-forward needs three parameter names")
        let (w, wParts) = Parameter.packed(2, [hidden, dim])
        var packedBias: Parameter? = nil, bParts: [Parameter?] = [nil, nil]
        if bias { let (b, parts) = Parameter.packed(2, [hidden]); packedBias = b; bParts = parts }
        packed = Linear(weight: w, bias: packedBias)
        gate = Linear(weight: wParts[0], bias: bParts[0])
        up = Linear(weight: wParts[1], bias: bParts[1])
        down = Linear(hidden, dim, bias: bias)
        self.activation = activation
        self.names = names
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        gate.namedParameters(prefix: prefix + names[0] + ".") + up.namedParameters(prefix: prefix + names[1] + ".")
            + down.namedParameters(prefix: prefix + names[2] + ".")
    }

    public func initialize(_ rng: inout RandomGenerator) { gate.initialize(&rng); up.initialize(&rng); down.initialize(&rng) }

    public func forward(_ x: Tensor) -> Tensor {
        packed.needsInputGradient = needsInputGradient
        let gu = packed.forward(x)                               // (..., 2H) = [gate | up]
        gateUp = gu
        let a = actSlot.tensor(like: gu, lastDim: gu.shape.last! / 2)   // (..., H)
        Ops.gatedForward(activation, x: gu, y: a)
        return down.forward(a)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let gu = gateUp else { preconditionFailure("GatedFeedForward.backward before forward") }
        let da = down.backward(dy)!
        let dgu = dGateUpSlot.tensor(like: gu)
        Ops.gatedBackward(activation, dy: da, x: gu, dx: dgu, accumulate: false)
        return packed.backward(dgu) ?? dgu
    }
}
