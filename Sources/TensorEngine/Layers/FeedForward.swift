/// A feed-forward layer of a transformer block: `MLP` or `GatedFeedForward`.
public protocol FeedForward: Module {
    func forward(_ x: Tensor) -> Tensor
    /// Accumulates parameter gradients; returns dx in a layer-owned buffer.
    func backward(_ dy: Tensor) -> Tensor
    func initialize(_ rng: inout RandomGenerator)
}

/// Which feed-forward a block uses, with its parameter names.
public enum FeedForwardKind: Codable, Sendable, Equatable {
    /// fc2(act(fc1(x))): ViT / DINOv2 (`.gelu`, names "fc1"/"fc2"), T5 v1.0 (`.relu`, "wi"/"wo").
    case mlp(activation: Ops.Activation, hidden: Int, names: [String] = ["fc1", "fc2"])
    /// down(act(gate(x)) * up(x)): SwiGLU (`.silu`), T5 v1.1 gated-GELU (`.geluTanh`, "wi_0"/"wi_1"/"wo").
    case gated(activation: Ops.Activation, hidden: Int, names: [String] = ["w1", "w3", "w2"])

    public func make(dim: Int, bias: Bool) -> FeedForward {
        switch self {
        case let .mlp(activation, hidden, names):
            return MLP(dim: dim, hidden: hidden, activation: activation, bias: bias, names: names)
        case let .gated(activation, hidden, names):
            return GatedFeedForward(dim: dim, hidden: hidden, activation: activation, bias: bias, names: names)
        }
    }
}
