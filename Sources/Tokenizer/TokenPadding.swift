/// How `encode(_:maxLength:padding:truncation:)` fills short texts.
public enum TokenPadding: String, Sendable, CaseIterable {
    /// Pad with `<pad>` to exactly the maximum length (fixed-shape batches, as the text encoder wants).
    case maxLength = "max_length"
    /// No padding: the ids end with `</s>`.
    case none
}
