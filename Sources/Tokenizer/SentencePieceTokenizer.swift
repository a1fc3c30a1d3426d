import CSentencePiece
import Foundation

/// A loaded SentencePiece model (a `spiece.model` file, ours or a Hugging Face T5 one).
///
/// `encode`, `pieces` and `decode` give exactly what SentencePiece's own tools give
/// (`spm_encode --output_format=id|piece`, `spm_decode`): no BOS/EOS is added. T5-style model
/// inputs (EOS appended, padding, attention mask) come from `encode(_:maxLength:padding:truncation:)`.
///
/// Thread safety: the model is immutable after loading and SentencePiece's encode/decode are const
/// and re-entrant, so one tokenizer may be shared by concurrent renders.
public final class SentencePieceTokenizer: @unchecked Sendable {
    private let handle: OpaquePointer

    public let vocabularySize: Int
    /// The unknown piece (`<unk>`): every character outside the model's alphabet encodes to it.
    public let unknownID: Int32
    /// End of sequence (`</s>`), appended by `encode(_:maxLength:...)`; nil when the model has none.
    public let eosID: Int32?
    /// Padding (`<pad>`), also masked out by the attention mask; nil when the model has none.
    public let padID: Int32?
    /// Beginning of sequence; nil for T5-style models, which have none.
    public let bosID: Int32?

    /// Loads a `.model` file.
    public convenience init(modelFile: URL) throws {
        guard FileManager.default.fileExists(atPath: modelFile.path) else {
            throw TokenizerError(.modelNotFound, "no SentencePiece model at \(modelFile.path)")
        }
        var message = CMessage()
        let handle = message.withBuffer { fae_spm_load_file(modelFile.path, $0, $1) }
        guard let handle else {
            throw TokenizerError(.invalidModel, "\(modelFile.path) is not a readable SentencePiece model", cause: message.text)
        }
        try Self.rejectEmpty(handle, source: modelFile.path)
        self.init(handle: handle)
    }

    /// Loads a model from the bytes of a `.model` file.
    public convenience init(modelData: Data) throws {
        var message = CMessage()
        let handle = modelData.withUnsafeBytes { bytes in
            message.withBuffer { fae_spm_load_bytes(bytes.baseAddress, bytes.count, $0, $1) }
        }
        guard let handle else {
            throw TokenizerError(.invalidModel, "the data (\(modelData.count) bytes) is not a SentencePiece model",
                                 cause: message.text)
        }
        try Self.rejectEmpty(handle, source: "the data (\(modelData.count) bytes)")
        self.init(handle: handle)
    }

    /// An empty file parses as an empty model proto; without pieces nothing can be encoded.
    private static func rejectEmpty(_ handle: OpaquePointer, source: String) throws {
        guard fae_spm_vocab_size(handle) > 0 else {
            fae_spm_free(handle)
            throw TokenizerError(.invalidModel, "\(source) is not a SentencePiece model (it has no pieces)")
        }
    }

    private init(handle: OpaquePointer) {
        self.handle = handle
        vocabularySize = Int(fae_spm_vocab_size(handle))
        unknownID = fae_spm_unk_id(handle)
        func optional(_ id: Int32) -> Int32? { id >= 0 ? id : nil }
        eosID = optional(fae_spm_eos_id(handle))
        padID = optional(fae_spm_pad_id(handle))
        bosID = optional(fae_spm_bos_id(handle))
    }

    deinit {
        fae_spm_free(handle)
    }

    /// The ids of `text`, as `spm_encode --output_format=id` prints them.
    public func encode(_ text: String) -> [Int32] {
        tokens(text).map(\.id)
    }

    /// The pieces of `text` (`▁` marks a preceding space), as `spm_encode --output_format=piece` prints them.
    public func pieces(_ text: String) -> [String] {
        tokens(text).map(\.piece)
    }

    /// Pieces and ids together, from one pass over the text.
    public func tokens(_ text: String) -> [(piece: String, id: Int32)] {
        var text = text
        var message = CMessage()
        var encoding = fae_spm_encoding()
        let status = text.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { chars in
                message.withBuffer { fae_spm_encode(handle, chars.baseAddress, chars.count, &encoding, $0, $1) }
            }
        }
        defer { fae_spm_encoding_free(&encoding) }
        // A Swift String is always valid UTF-8 and a loaded model has no other failure path, so this
        // is a broken invariant (or out of memory), not bad input.
        guard status == Int32(FAE_SPM_OK.rawValue) else {
            preconditionFailure("SentencePiece failed to encode valid UTF-8: \(message.text)")
        }
        var result: [(piece: String, id: Int32)] = []
        result.reserveCapacity(encoding.count)
        var offset = 0
        for index in 0..<encoding.count {
            let length = encoding.piece_lengths[index]
            let bytes = UnsafeRawBufferPointer(start: encoding.piece_bytes.map { UnsafeRawPointer($0) + offset }, count: length)
            result.append((String(decoding: bytes, as: UTF8.self), encoding.ids[index]))
            offset += length
        }
        return result
    }

    /// The text of `ids`, as `spm_decode --input_format=id` gives it. Control ids (pad, eos) decode
    /// to nothing; ids outside the vocabulary decode as the unknown piece (` ⁇ `), so that a
    /// generated sequence can always be shown. Use `checkedDecode` to reject them instead.
    public func decode(_ ids: [Int32]) -> String {
        let valid = ids.map { (0..<Int32(vocabularySize)).contains($0) ? $0 : unknownID }
        do {
            return try checkedDecode(valid)
        } catch {
            preconditionFailure("SentencePiece failed to decode in-range ids: \(error)")
        }
    }

    /// Like `decode`, but an id outside the vocabulary is an error.
    public func checkedDecode(_ ids: [Int32]) throws -> String {
        var message = CMessage()
        var text: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = ids.withUnsafeBufferPointer { buffer in
            message.withBuffer { fae_spm_decode(handle, buffer.baseAddress, buffer.count, &text, &length, $0, $1) }
        }
        defer { fae_spm_free_buffer(text) }
        guard status == Int32(FAE_SPM_OK.rawValue), let text else {
            let code: TokenizerError.Code = status == Int32(FAE_SPM_INVALID_ARGUMENT.rawValue) ? .invalidArgument : .library
            throw TokenizerError(code, "cannot decode the ids: \(message.text)", cause: message.text)
        }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
    }

    /// The id of a piece (e.g. `"▁circle"`, `"</s>"`); `unknownID` when the piece is not in the vocabulary.
    public func id(ofPiece piece: String) -> Int32 {
        var piece = piece
        return piece.withUTF8 { utf8 in
            utf8.withMemoryRebound(to: CChar.self) { fae_spm_piece_to_id(handle, $0.baseAddress, $0.count) }
        }
    }

    /// The piece of an id; nil outside the vocabulary.
    public func piece(ofID id: Int32) -> String? {
        var message = CMessage()
        var piece: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = message.withBuffer { fae_spm_id_to_piece(handle, id, &piece, &length, $0, $1) }
        defer { fae_spm_free_buffer(piece) }
        guard status == Int32(FAE_SPM_OK.rawValue), let piece else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: piece, count: length), as: UTF8.self)
    }

    /// The piece's score (its log probability in a unigram model); 0 outside the vocabulary.
    public func score(ofID id: Int32) -> Float {
        fae_spm_score(handle, id)
    }

    /// Whether `id` is a control symbol (pad, eos, bos, or one given at training time).
    public func isControl(_ id: Int32) -> Bool {
        fae_spm_is_control(handle, id) != 0
    }
}
