import CSentencePiece
import Foundation

/// Trains SentencePiece models through libsentencepiece (what `spm_train` does, without the tool).
public enum SentencePieceTrainer {
    /// Trains a model on `corpus` (one sentence per line) and writes it to `modelURL`, plus the
    /// `.vocab` listing beside it (`spiece.model` -> `spiece.vocab`) unless the options say not to.
    /// The files are written only when training succeeded, each atomically: an old model is never left
    /// half-overwritten. Identical corpus and options give a byte-identical model.
    /// Returns the new model, loaded.
    @discardableResult
    public static func train(corpus: URL, vocabularySize: Int, modelURL: URL,
                             options: SentencePieceTrainingOptions = SentencePieceTrainingOptions()) throws -> SentencePieceTokenizer {
        try checkArguments(vocabularySize: vocabularySize, options: options)
        try checkCorpus(corpus)
        // Before training, so that a bad --out fails at once.
        let folder = modelURL.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw TokenizerError(.output, "cannot create the folder \(folder.path) for the model: \(error.localizedDescription)")
        }

        let model = try runTrainer(corpus: corpus, vocabularySize: vocabularySize, options: options)
        let tokenizer = try SentencePieceTokenizer(modelData: model)

        try write(model, to: modelURL)
        if options.writesVocabularyFile {
            try write(Data(vocabularyListing(tokenizer).utf8), to: vocabularyURL(forModel: modelURL))
        }
        return tokenizer
    }

    /// spm_train's `.vocab` format: piece, tab, score (C++ stream formatting, 6 significant digits).
    public static func vocabularyListing(_ tokenizer: SentencePieceTokenizer) -> String {
        (0..<Int32(tokenizer.vocabularySize)).map { id in
            "\(tokenizer.piece(ofID: id) ?? "")\t\(String(format: "%g", Double(tokenizer.score(ofID: id))))\n"
        }.joined()
    }

    /// Where `train` puts the `.vocab` listing for a model file: `x.model` -> `x.vocab`, else `<name>.vocab`.
    public static func vocabularyURL(forModel modelURL: URL) -> URL {
        modelURL.pathExtension == "model"
            ? modelURL.deletingPathExtension().appendingPathExtension("vocab")
            : modelURL.appendingPathExtension("vocab")
    }

    private static func checkArguments(vocabularySize: Int, options: SentencePieceTrainingOptions) throws {
        guard vocabularySize > 0, vocabularySize <= Int(Int32.max) else {
            throw TokenizerError(.invalidArgument, "the vocabulary size must be positive, not \(vocabularySize)")
        }
        guard options.characterCoverage > 0, options.characterCoverage <= 1 else {
            throw TokenizerError(.invalidArgument, "character coverage must be in (0, 1], not \(options.characterCoverage)")
        }
        guard options.threads >= 1 else {
            throw TokenizerError(.invalidArgument, "the thread count must be at least 1, not \(options.threads)")
        }
        for symbol in options.userDefinedSymbols + options.controlSymbols where symbol.isEmpty || symbol.contains(",") {
            throw TokenizerError(.invalidArgument, "symbol '\(symbol)' must be non-empty and without commas")
        }
    }

    /// SentencePiece's own report for these cases is an internal check failure; say what is wrong instead.
    private static func checkCorpus(_ corpus: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: corpus.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw TokenizerError(.corpus, "no corpus file at \(corpus.path)")
        }
        let data: Data
        do {
            data = try Data(contentsOf: corpus, options: .mappedIfSafe)
        } catch {
            throw TokenizerError(.corpus, "cannot read the corpus \(corpus.path): \(error.localizedDescription)")
        }
        let blank: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
        guard data.contains(where: { !blank.contains($0) }) else {
            throw TokenizerError(.corpus, "the corpus \(corpus.path) has no text (it is empty or blank)")
        }
    }

    private static func runTrainer(corpus: URL, vocabularySize: Int, options: SentencePieceTrainingOptions) throws -> Data {
        // strdup'ed copies stay valid for the whole call, however many strings there are.
        var owned: [UnsafeMutablePointer<CChar>?] = []
        defer { owned.forEach { free($0) } }
        func c(_ string: String) -> UnsafePointer<CChar>? {
            let copy = strdup(string)
            owned.append(copy)
            return UnsafePointer(copy)
        }
        var raw = fae_spm_train_options()
        raw.corpus_path = c(corpus.path)
        raw.model_type = c(options.modelType.rawValue)
        raw.normalization_rule = c(options.normalizationRule)
        raw.user_defined_symbols = c(options.userDefinedSymbols.joined(separator: ","))
        raw.control_symbols = c(options.controlSymbols.joined(separator: ","))
        raw.vocab_size = Int32(vocabularySize)
        raw.character_coverage = options.characterCoverage
        raw.pad_id = options.padID
        raw.eos_id = options.eosID
        raw.unk_id = options.unknownID
        raw.bos_id = options.bosID
        raw.num_threads = Int32(clamping: options.threads)
        raw.hard_vocab_limit = options.hardVocabularyLimit ? 1 : 0
        guard owned.allSatisfy({ $0 != nil }) else {
            throw TokenizerError(.library, "out of memory preparing the training options")
        }

        var message = CMessage()
        var model: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = message.withBuffer { fae_spm_train(&raw, &model, &length, $0, $1) }
        defer { fae_spm_free_buffer(model) }
        guard status == Int32(FAE_SPM_OK.rawValue), let model else {
            throw explain(message.text, vocabularySize: vocabularySize, corpus: corpus)
        }
        return Data(bytes: model, count: length)
    }

    /// Turns SentencePiece's check-failure text into advice about what to change.
    static func explain(_ cause: String, vocabularySize: Int, corpus: URL) -> TokenizerError {
        if cause.contains("Vocabulary size too high"), let limit = lastInteger(in: cause) {
            return TokenizerError(.vocabularySize,
                                  "vocabulary size \(vocabularySize) is too large for the corpus \(corpus.lastPathComponent): "
                                  + "it yields at most \(limit) pieces; use \(limit) or fewer, or a bigger corpus", cause: cause)
        }
        if cause.contains("Vocabulary size is smaller than required_chars"), let needed = lastInteger(in: cause) {
            return TokenizerError(.vocabularySize,
                                  "vocabulary size \(vocabularySize) is too small: the corpus's characters and the special "
                                  + "pieces need at least \(needed); raise it or lower the character coverage", cause: cause)
        }
        if cause.contains("sentences_.empty()") {
            return TokenizerError(.corpus, "the corpus \(corpus.path) has no usable sentences", cause: cause)
        }
        return TokenizerError(.library, "SentencePiece training failed: \(cause)", cause: cause)
    }

    private static func lastInteger(in text: String) -> Int? {
        let runs = text.split(whereSeparator: { !$0.isNumber })
        return runs.last.flatMap { Int($0) }
    }

    /// Atomic (temporary file + rename), so a reader never sees half a model.
    private static func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw TokenizerError(.output, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
