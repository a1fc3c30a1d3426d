import ArgumentParser
import Foundation
import Tokenizer

/// `tokenizer train`: a SentencePiece unigram model with T5's special ids, trained through libsentencepiece.
struct TokenizerTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a SentencePiece model (T5 ids: <pad> 0, </s> 1, <unk> 2, no BOS); writes FILE and its .vocab.")

    @Option(help: "Training text, one sentence per line (e.g. prompts/corpus.txt).") var corpus: String
    @Option(help: "Vocabulary size, special pieces included.") var vocab: Int
    @Option(help: "Model file to write (e.g. models/default/spiece.model); the .vocab listing goes beside it.")
    var out: String
    @Option(help: "Model type: \(SentencePieceTrainingOptions.ModelType.allCases.map(\.rawValue).joined(separator: ", ")).")
    var modelType: String = SentencePieceTrainingOptions.ModelType.unigram.rawValue
    @Option(help: "Share of the corpus's characters that get a piece; the rest become <unk>.")
    var characterCoverage: Double = 1.0
    @Option(help: "SentencePiece normalization: nmt_nfkc_cf (NFKC + lowercase), nmt_nfkc (T5's), identity.")
    var normalization: String = "nmt_nfkc_cf"
    @Option(help: "Comma-separated pieces that are always one token.") var userDefinedSymbols: String = ""
    @Option(help: "Comma-separated reserved control pieces (never produced by encoding).") var controlSymbols: String = ""
    @Option(help: "Training threads (part of what makes the model reproducible).") var threads: Int = 1
    @Flag(help: "Do not write the .vocab listing.") var noVocabFile = false
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        guard (1...1_000_000).contains(vocab) else { throw CLIError("--vocab must be between 1 and 1000000") }
        guard characterCoverage > 0, characterCoverage <= 1 else { throw CLIError("--character-coverage must be in (0, 1]") }
        guard SentencePieceTrainingOptions.ModelType(rawValue: modelType) != nil else {
            throw CLIError("--model-type must be one of \(SentencePieceTrainingOptions.ModelType.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...256).contains(threads) else { throw CLIError("--threads must be between 1 and 256") }
        guard !out.isEmpty, !out.hasSuffix("/") else { throw CLIError("--out must name a file") }
    }

    struct Result: Encodable {
        let model: String
        let vocabFile: String?
        let vocabularySize: Int
        let seconds: Double
        let corpusTokens: TokenLengthStatistics
        enum CodingKeys: String, CodingKey {
            case model, seconds
            case vocabFile = "vocab_file"
            case vocabularySize = "vocabulary_size"
            case corpusTokens = "corpus_tokens"
        }
    }

    func run() throws {
        var options = SentencePieceTrainingOptions()
        options.modelType = SentencePieceTrainingOptions.ModelType(rawValue: modelType) ?? .unigram
        options.characterCoverage = characterCoverage
        options.normalizationRule = normalization
        options.userDefinedSymbols = Self.list(userDefinedSymbols)
        options.controlSymbols = Self.list(controlSymbols)
        options.threads = threads
        options.writesVocabularyFile = !noVocabFile

        let corpusURL = URL(fileURLWithPath: corpus)
        let modelURL = URL(fileURLWithPath: out)
        let started = Date()
        let tokenizer: SentencePieceTokenizer
        do {
            tokenizer = try SentencePieceTrainer.train(corpus: corpusURL, vocabularySize: vocab, modelURL: modelURL, options: options)
        } catch let error as TokenizerError {
            throw CLIError(error.message, cause: error)
        }
        let seconds = Date().timeIntervalSince(started)
        // The corpus was readable a moment ago; its token lengths tell which maximum length to use.
        let lines = (try? String(contentsOf: corpusURL, encoding: .utf8))?
            .split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) } ?? []
        let statistics = TokenLengthStatistics(tokenizer: tokenizer, texts: lines)
        let vocabFile = options.writesVocabularyFile ? SentencePieceTrainer.vocabularyURL(forModel: modelURL).path : nil
        if json {
            try JSONOutput.print(Result(model: modelURL.path, vocabFile: vocabFile, vocabularySize: tokenizer.vocabularySize,
                                        seconds: seconds, corpusTokens: statistics))
        } else {
            print("\(modelURL.path): \(tokenizer.vocabularySize) pieces, trained in \(String(format: "%.1f", seconds)) s"
                  + (vocabFile.map { " (listing: \($0))" } ?? ""))
            print("tokens per line with </s>, \(statistics.texts) lines: min \(statistics.minimum), "
                  + "mean \(String(format: "%.2f", statistics.mean)), median \(statistics.median), p95 \(statistics.p95), "
                  + "p99 \(statistics.p99), max \(statistics.maximum); <unk> rate \(String(format: "%.4f", statistics.unknownRate))")
        }
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
