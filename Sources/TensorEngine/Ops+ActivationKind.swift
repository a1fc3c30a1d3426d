extension Ops {
    public enum Activation: String, Codable, Sendable {
        /// 0.5 x (1 + erf(x / sqrt 2)) — PyTorch `gelu`, DINOv2.
        case gelu
        /// 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) — `gelu_new` / `gelu_pytorch_tanh`, T5 v1.1.
        case geluTanh
        case silu
        case relu
    }
}
