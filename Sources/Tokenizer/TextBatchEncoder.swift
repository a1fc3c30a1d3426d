/// Turns a batch of prompts into the text encoder's input: ids and attention mask, row-major
/// (B, maxTokens). Each row is the prompt's pieces, cut to maxTokens - 1 and closed by `</s>` (cut to
/// maxTokens when the model has no `</s>`), then padded with `<pad>` (id 0 without one) under mask 0.
/// The empty string is the unconditional prompt: just `</s>`, so every row has an unmasked token.
public struct TextBatchEncoder: Sendable {
    public let tokenizer: SentencePieceTokenizer
    public let maxTokens: Int

    public init(tokenizer: SentencePieceTokenizer, maxTokens: Int) {
        precondition(maxTokens >= 1, "TextBatchEncoder needs room for at least one token")
        self.tokenizer = tokenizer
        self.maxTokens = maxTokens
    }

    public func encode(_ texts: [String]) -> (ids: [Int32], mask: [Int32]) {
        let pad = tokenizer.padID ?? 0
        var ids = [Int32](repeating: pad, count: texts.count * maxTokens)
        var mask = [Int32](repeating: 0, count: texts.count * maxTokens)
        for (row, text) in texts.enumerated() {
            var pieces = tokenizer.encode(text)
            if let eos = tokenizer.eosID {
                pieces = Array(pieces.prefix(maxTokens - 1)) + [eos]
            } else {
                pieces = Array(pieces.prefix(maxTokens))
                if pieces.isEmpty { pieces = [pad] }   // keep one visible token
            }
            for (i, id) in pieces.enumerated() {
                ids[row * maxTokens + i] = id
                mask[row * maxTokens + i] = 1
            }
        }
        return (ids, mask)
    }
}
