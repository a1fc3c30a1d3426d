extension SentencePieceTokenizer {
    /// T5-style model input: the ids of `text`, then `</s>`, then `<pad>` up to `maxLength`, with an
    /// attention mask (1 = real token). Past `maxLength` the text is rejected or truncated as `truncation` says.
    public func encode(_ text: String, maxLength: Int, padding: TokenPadding = .maxLength,
                       truncation: TokenTruncation = .error) throws -> EncodedText {
        guard maxLength >= 1 else {
            throw TokenizerError(.invalidArgument, "the maximum length must be at least 1 (room for </s>), not \(maxLength)")
        }
        let input = modelInput(text, length: maxLength, padID: padding == .maxLength ? padID : nil)
        if input.wasTruncated, truncation == .error {
            throw TokenizerError(.tooLong, "the text is \(input.untruncatedCount) tokens long\(eosID == nil ? "" : " (with </s>)"), "
                + "more than the maximum of \(maxLength): shorten it")
        }
        if padding == .maxLength, padID == nil, input.ids.count < maxLength {
            throw TokenizerError(.invalidArgument, "this model has no <pad> piece, so it cannot pad; use padding .none")
        }
        return input
    }

    /// `encode(_:maxLength:padding:truncation:)` for each text; padded batches share one shape.
    public func encode(_ texts: [String], maxLength: Int, padding: TokenPadding = .maxLength,
                       truncation: TokenTruncation = .error) throws -> [EncodedText] {
        try texts.map { try encode($0, maxLength: maxLength, padding: padding, truncation: truncation) }
    }

    /// The one layout of a model-input row, shared by `encode(_:maxLength:...)` and `TextBatchEncoder`:
    /// the text's ids cut to leave room for `</s>` within `length` (as Hugging Face's T5 tokenizer
    /// cuts), `</s>` when the model has one, then `padID` up to `length` (no padding when nil);
    /// mask 1 for the pieces and `</s>`, 0 for padding. `length` is at least 1.
    func modelInput(_ text: String, length: Int, padID: Int32?) -> EncodedText {
        var ids = encode(text)
        let room = eosID == nil ? length : length - 1
        let untruncatedCount = ids.count + (eosID == nil ? 0 : 1)
        if ids.count > room { ids.removeSubrange(room...) }
        if let eosID { ids.append(eosID) }
        var mask = [Int32](repeating: 1, count: ids.count)
        if let padID, ids.count < length {
            let missing = length - ids.count
            ids += [Int32](repeating: padID, count: missing)
            mask += [Int32](repeating: 0, count: missing)
        }
        return EncodedText(ids: ids, attentionMask: mask, untruncatedCount: untruncatedCount)
    }
}
