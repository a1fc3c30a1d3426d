/// What `encode(_:maxLength:padding:truncation:)` does with a text longer than the maximum length.
public enum TokenTruncation: String, Sendable, CaseIterable {
    /// Throw `TokenizerError` with code `.tooLong`, naming both lengths: nothing is silently lost.
    case error
    /// Keep the first `maxLength - 1` tokens and `</s>` (as Hugging Face's T5 tokenizer does) and set
    /// `EncodedText.wasTruncated`, so the caller can warn.
    case truncate
}
