import Foundation
import TestSupport
import Testing
import Tokenizer

/// Special ids follow T5's spiece.model, and piece <-> id lookups agree.
@Suite struct VocabularyTests {
    @Test func specialIdsFollowT5() throws {
        for name in ["mixed.model", "default.model"] {
            let tokenizer = try TokenizerFixtures.tokenizer(name)
            #expect(tokenizer.padID == 0)
            #expect(tokenizer.eosID == 1)
            #expect(tokenizer.unknownID == 2)
            #expect(tokenizer.bosID == nil)
            #expect(tokenizer.piece(ofID: 0) == "<pad>")
            #expect(tokenizer.piece(ofID: 1) == "</s>")
            #expect(tokenizer.piece(ofID: 2) == "<unk>")
            #expect(tokenizer.isControl(0) && tokenizer.isControl(1) && !tokenizer.isControl(2))
        }
    }

    @Test func pieceAndIdLookupsAreInverse() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("mixed.model")
        for id in Int32(0)..<Int32(tokenizer.vocabularySize) {
            let piece = try #require(tokenizer.piece(ofID: id))
            #expect(tokenizer.id(ofPiece: piece) == id)
        }
        #expect(tokenizer.piece(ofID: -1) == nil)
        #expect(tokenizer.piece(ofID: Int32(tokenizer.vocabularySize)) == nil)
        #expect(tokenizer.id(ofPiece: "no such piece ✗") == tokenizer.unknownID)
    }

    /// The shipped model: small (almost all of it is the NFKC + case-folding table), no <unk> on its
    /// own corpus, and every grammar word a single piece.
    @Test func shippedModelIsSmallAndCoversTheCorpus() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent("models/default/spiece.model")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int)
        #expect(size < 300 * 1024)
        let tokenizer = try SentencePieceTokenizer(modelFile: url)
        let corpus = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("prompts/corpus.txt"), encoding: .utf8)
        let lines = corpus.split(separator: "\n").map(String.init)
        let statistics = TokenLengthStatistics(tokenizer: tokenizer, texts: lines)
        #expect(statistics.unknownRate == 0)
        #expect(statistics.p99 <= 32)
        // The corpus ends with every vocabulary word on a line of its own.
        for word in lines.suffix(80) where !word.contains(" ") && word != "," {
            #expect(tokenizer.pieces(word) == ["▁" + word], "\(word)")
        }
    }
}
