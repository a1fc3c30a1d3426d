import Foundation
import TestSupport
import Testing
import Tokenizer

/// Training through libsentencepiece, and its errors in words a user can act on.
@Suite struct TrainingTests {
    @Test func trainsATinyModelWithT5Ids() throws {
        let folder = try TestPaths.temporaryDirectory("spm-train")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try TokenizerFixtures.writeCorpus(TokenizerFixtures.tinyCorpus, in: folder)
        let modelURL = folder.appendingPathComponent("sub/dir/spiece.model")
        let tokenizer = try SentencePieceTrainer.train(corpus: corpus, vocabularySize: 26, modelURL: modelURL)
        #expect(tokenizer.vocabularySize == 26)
        #expect(tokenizer.padID == 0 && tokenizer.eosID == 1 && tokenizer.unknownID == 2 && tokenizer.bosID == nil)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("sub/dir/spiece.vocab").path))
        #expect(tokenizer.decode(tokenizer.encode("a red circle left of a blue square")) == "a red circle left of a blue square")
        // Only the two output files: the scratch folder is gone.
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("sub/dir").path).sorted()
        #expect(left == ["spiece.model", "spiece.vocab"])
        // The same corpus and options give the same model, byte for byte.
        let again = folder.appendingPathComponent("again.model")
        try SentencePieceTrainer.train(corpus: corpus, vocabularySize: 26, modelURL: again)
        #expect(try Data(contentsOf: again) == Data(contentsOf: modelURL))
    }

    @Test func userDefinedAndControlSymbols() throws {
        let folder = try TestPaths.temporaryDirectory("spm-symbols")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try TokenizerFixtures.writeCorpus(TokenizerFixtures.tinyCorpus, in: folder)
        var options = SentencePieceTrainingOptions()
        options.userDefinedSymbols = ["<sep>"]
        options.controlSymbols = ["<extra_id_0>"]
        options.writesVocabularyFile = false
        let tokenizer = try SentencePieceTrainer.train(corpus: corpus, vocabularySize: 26,
                                                       modelURL: folder.appendingPathComponent("m.model"), options: options)
        let control = tokenizer.id(ofPiece: "<extra_id_0>")
        #expect(control != tokenizer.unknownID && tokenizer.isControl(control))
        let separator = tokenizer.id(ofPiece: "<sep>")
        #expect(tokenizer.encode("a red circle<sep>a blue square").contains(separator))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.vocab").path))
    }

    @Test func replacesAnExistingModel() throws {
        let folder = try TestPaths.temporaryDirectory("spm-replace")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try TokenizerFixtures.writeCorpus(TokenizerFixtures.tinyCorpus, in: folder)
        let modelURL = folder.appendingPathComponent("spiece.model")
        try SentencePieceTrainer.train(corpus: corpus, vocabularySize: 26, modelURL: modelURL)
        let bigger = try SentencePieceTrainer.train(corpus: corpus, vocabularySize: 28, modelURL: modelURL)
        #expect(bigger.vocabularySize == 28)
        // A failed run leaves the previous model in place.
        #expect(throws: TokenizerError.self) {
            try SentencePieceTrainer.train(corpus: corpus, vocabularySize: 5_000, modelURL: modelURL)
        }
        #expect(try SentencePieceTokenizer(modelFile: modelURL).vocabularySize == 28)
    }

    /// The error of training on the tiny corpus for `vocabularySize` pieces (in a fresh folder).
    static func tinyCorpusRefusal(vocabularySize: Int, folder name: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws -> TokenizerError {
        let folder = try TestPaths.temporaryDirectory(name)
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try TokenizerFixtures.writeCorpus(TokenizerFixtures.tinyCorpus, in: folder)
        return try #require(throws: TokenizerError.self, sourceLocation: sourceLocation) {
            try SentencePieceTrainer.train(corpus: corpus, vocabularySize: vocabularySize, modelURL: folder.appendingPathComponent("m.model"))
        }
    }

    @Test func vocabularyTooLargeSaysTheLimit() throws {
        let error = try Self.tinyCorpusRefusal(vocabularySize: 5_000, folder: "spm-big")
        #expect(error.code == .vocabularySize)
        #expect(error.message.contains("too large") && error.message.contains("at most"))
        #expect(error.cause != nil)
    }

    @Test func vocabularyTooSmallSaysTheMinimum() throws {
        let error = try Self.tinyCorpusRefusal(vocabularySize: 8, folder: "spm-small")
        #expect(error.code == .vocabularySize)
        #expect(error.message.contains("too small"))
    }

    @Test func emptyOrBlankCorpus() throws {
        let folder = try TestPaths.temporaryDirectory("spm-empty")
        defer { try? FileManager.default.removeItem(at: folder) }
        for lines in [[], ["", "   ", "\t"]] as [[String]] {
            let corpus = try TokenizerFixtures.writeCorpus(lines, in: folder)
            let error = try #require(throws: TokenizerError.self) {
                try SentencePieceTrainer.train(corpus: corpus, vocabularySize: 26, modelURL: folder.appendingPathComponent("m.model"))
            }
            #expect(error.code == .corpus)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.model").path))
    }

    @Test func missingCorpus() throws {
        let folder = try TestPaths.temporaryDirectory("spm-missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: TokenizerError.self) {
            try SentencePieceTrainer.train(corpus: folder.appendingPathComponent("nope.txt"), vocabularySize: 26,
                                           modelURL: folder.appendingPathComponent("m.model"))
        }
        #expect(error.code == .corpus && error.message.contains("nope.txt"))
    }

    @Test func unwritableOutput() throws {
        let folder = try TestPaths.temporaryDirectory("spm-unwritable")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try TokenizerFixtures.writeCorpus(TokenizerFixtures.tinyCorpus, in: folder)
        // A regular file where a folder should be: fails even for root, unlike permission bits.
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let error = try #require(throws: TokenizerError.self) {
            try SentencePieceTrainer.train(corpus: corpus, vocabularySize: 26, modelURL: blocker.appendingPathComponent("m.model"))
        }
        #expect(error.code == .output)
    }

    @Test func invalidOptions() throws {
        let folder = try TestPaths.temporaryDirectory("spm-options")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try TokenizerFixtures.writeCorpus(TokenizerFixtures.tinyCorpus, in: folder)
        var options = SentencePieceTrainingOptions()
        options.userDefinedSymbols = ["a,b"]
        for (size, options) in [(0, SentencePieceTrainingOptions()), (40, options)] {
            let error = try #require(throws: TokenizerError.self) {
                try SentencePieceTrainer.train(corpus: corpus, vocabularySize: size, modelURL: folder.appendingPathComponent("m.model"),
                                               options: options)
            }
            #expect(error.code == .invalidArgument)
        }
    }
}
