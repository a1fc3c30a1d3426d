extension SentencePieceTokenizer {
    /// T5-style model input: the ids of `text`, then `</s>`, then `<pad>` up to `maxLength`, with an
    /// attention mask (1 = real token). Past `maxLength` the text is rejected or truncated as `truncation` says.
    public func encode(_ text: String, maxLength: Int, padding: TokenPadding = .maxLength,
                       truncation: TokenTruncation = .error) throws -> EncodedText {
        guard maxLength >= 1 else {
            throw TokenizerError(.invalidArgument, "the maximum length must be at least 1 (room for </s>), not \(maxLength)")
        }
        var ids = encode(text)
        if let eosID { ids.append(eosID) }
        let untruncatedCount = ids.count
        if ids.count > maxLength {
            switch truncation {
            case .error:
                throw TokenizerError(.tooLong, "the text is \(ids.count) tokens long\(eosID == nil ? "" : " (with </s>)"), "
                    + "more than the maximum of \(maxLength): shorten it")
            case .truncate:
                ids.removeSubrange((maxLength - (eosID == nil ? 0 : 1))...)
                if let eosID { ids.append(eosID) }
            }
        }
        var mask = [Int32](repeating: 1, count: ids.count)
        if padding == .maxLength, ids.count < maxLength {
            guard let padID else {
                throw TokenizerError(.invalidArgument, "this model has no <pad> piece, so it cannot pad; use padding .none")
            }
            let missing = maxLength - ids.count
            ids += [Int32](repeating: padID, count: missing)
            mask += [Int32](repeating: 0, count: missing)
        }
        return EncodedText(ids: ids, attentionMask: mask, untruncatedCount: untruncatedCount)
    }

    /// `encode(_:maxLength:padding:truncation:)` for each text; padded batches share one shape.
    public func encode(_ texts: [String], maxLength: Int, padding: TokenPadding = .maxLength,
                       truncation: TokenTruncation = .error) throws -> [EncodedText] {
        try texts.map { try encode($0, maxLength: maxLength, padding: padding, truncation: truncation) }
    }
}
