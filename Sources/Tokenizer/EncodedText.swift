/// A text as model input: ids with `</s>` appended, padded to a fixed length, and its attention mask.
public struct EncodedText: Equatable, Sendable {
    /// Token ids, `</s>` included, then `<pad>` up to the maximum length when padding.
    public var ids: [Int32]
    /// 1 for real tokens (text and `</s>`), 0 for padding; same length as `ids`.
    public var attentionMask: [Int32]
    /// Number of real tokens (the ones the mask keeps).
    public var tokenCount: Int { attentionMask.reduce(0) { $0 + Int($1) } }
    /// How many tokens the text had (with `</s>`) before truncation; equal to `tokenCount` when nothing was cut.
    public var untruncatedCount: Int
    /// True when tokens were dropped to fit the maximum length: callers should warn the user.
    public var wasTruncated: Bool { untruncatedCount > tokenCount }

    public init(ids: [Int32], attentionMask: [Int32], untruncatedCount: Int) {
        self.ids = ids
        self.attentionMask = attentionMask
        self.untruncatedCount = untruncatedCount
    }
}
