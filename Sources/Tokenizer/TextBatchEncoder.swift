/// The one rule that turns prompts into text-encoder input, shared by generator training and
/// rendering so both sides feed the T5 encoder identically. The row layout is the tokenizer's
/// `encode(_:maxLength:truncation: .truncate)`, padded with id 0 when the model has no pad piece:
///
/// - the SentencePiece ids of the text (no BOS), then `</s>` when the model has one;
/// - longer texts are cut to `maxTokens - 1` pieces plus `</s>` (`maxTokens` pieces without EOS);
/// - then `<pad>` (id 0 when the model has no pad piece) up to exactly `maxTokens`;
/// - mask 1 for the pieces and `</s>`, 0 for padding;
/// - a row never is all padding: if nothing is left (an empty text and no `</s>`), position 0 is
///   unmasked, so attention always has a key.
///
/// The empty prompt (`""`: `</s>` then padding) is both the classifier-free-guidance dropout
/// caption in training and the default negative prompt when sampling.
public struct TextBatchEncoder: Sendable {
    /// The prompt that stands for "no text" (CFG dropout, default negative prompt).
    public static let emptyPrompt = ""

    public let tokenizer: SentencePieceTokenizer
    public let maxTokens: Int

    public init(tokenizer: SentencePieceTokenizer, maxTokens: Int) throws {
        guard maxTokens >= 1 else {
            throw TokenizerError(.invalidArgument, "the maximum number of text tokens must be at least 1, not \(maxTokens)")
        }
        self.tokenizer = tokenizer
        self.maxTokens = maxTokens
    }

    /// The padding id written after the real tokens.
    public var padID: Int32 { tokenizer.padID ?? 0 }

    /// One row: `maxTokens` ids and mask values, whether pieces were cut, and how many (`</s>` counted).
    public func encodeRow(_ text: String) -> (ids: [Int32], mask: [Int32], truncated: Bool, cut: Int) {
        let input = tokenizer.modelInput(text, length: maxTokens, padID: padID)
        var mask = input.attentionMask
        if !mask.contains(1) { mask[0] = 1 }
        return (input.ids, mask, input.wasTruncated, input.untruncatedCount - input.tokenCount)
    }

    /// Rows of `texts` concatenated: ids and mask, each (texts.count, maxTokens) row-major.
    public func encode(_ texts: [String]) -> (ids: [Int32], mask: [Int32]) {
        var ids: [Int32] = [], mask: [Int32] = []
        ids.reserveCapacity(texts.count * maxTokens)
        mask.reserveCapacity(texts.count * maxTokens)
        for text in texts {
            let row = encodeRow(text)
            ids += row.ids
            mask += row.mask
        }
        return (ids, mask)
    }

    /// Rows of `texts` padded only as far as the longest of them needs (at most `maxTokens`):
    /// ids and mask (texts.count, length). The kept columns are exactly those of `encode`, and
    /// padding is masked everywhere it is read, so rendering uses this to skip columns of pure
    /// padding (prompts are mostly far shorter than `maxTokens`). `cut` holds, per text, the tokens
    /// beyond `maxTokens` that were dropped (0 when it fits), so callers can warn without encoding again.
    public func encodeToLongest(_ texts: [String]) -> (ids: [Int32], mask: [Int32], length: Int, cut: [Int]) {
        let rows = texts.map { encodeRow($0) }
        let length = rows.map { row in (row.mask.lastIndex(of: 1) ?? 0) + 1 }.max() ?? 1
        var ids: [Int32] = [], mask: [Int32] = []
        ids.reserveCapacity(texts.count * length)
        mask.reserveCapacity(texts.count * length)
        for row in rows {
            ids += row.ids[..<length]
            mask += row.mask[..<length]
        }
        return (ids, mask, length, rows.map(\.cut))
    }

    /// The empty prompt's row (CFG dropout in training, default negative prompt in sampling).
    public var emptyRow: (ids: [Int32], mask: [Int32]) {
        let row = encodeRow(Self.emptyPrompt)
        return (row.ids, row.mask)
    }
}
