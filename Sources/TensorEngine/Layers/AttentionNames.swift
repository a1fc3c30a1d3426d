/// Parameter-name paths of the four attention projections (relative to the attention prefix),
/// so one implementation loads PyTorch, DINOv2 and T5 checkpoints.
public struct AttentionNames: Codable, Sendable, Equatable {
    public var query: String, key: String, value: String, output: String

    public init(query: String, key: String, value: String, output: String) {
        self.query = query; self.key = key; self.value = value; self.output = output
    }

    /// nn.MultiheadAttention-like separate projections.
    public static let standard = AttentionNames(query: "q_proj", key: "k_proj", value: "v_proj", output: "out_proj")
    /// Hugging Face `Dinov2Layer.attention`.
    public static let dinov2 = AttentionNames(query: "attention.query", key: "attention.key",
                                              value: "attention.value", output: "output.dense")
    /// Hugging Face `T5Attention`.
    public static let t5 = AttentionNames(query: "q", key: "k", value: "v", output: "o")
}
