import TensorEngine

/// Maps transformers' `ACT2FN` names to engine activations.
public enum HuggingFaceActivation {
    /// "gelu" is the exact erf form; "gelu_new" / "gelu_pytorch_tanh" the tanh approximation.
    public static func resolve(_ name: String) throws -> Ops.Activation {
        switch name {
        case "gelu": return .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": return .geluTanh
        case "relu": return .relu
        case "silu", "swish": return .silu
        default:
            throw ModelError(.unsupportedConfiguration, "activation '\(name)' is not supported (gelu, gelu_new, relu, silu)")
        }
    }
}
