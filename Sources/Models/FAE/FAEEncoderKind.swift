/// Body of the FAE encoder, for the paper's ablation (all kinds share the GELU + linear head).
public enum FAEEncoderKind: String, Codable, Sendable, CaseIterable {
    /// The paper's encoder: one self-attention layer with wide heads and a residual.
    case attention
    /// A per-token linear map (no mixing across tokens): the paper's weaker baseline.
    case linear
    /// Three pre-norm transformer blocks (RMSNorm, SwiGLU): the deeper baseline.
    case transformer3
}
