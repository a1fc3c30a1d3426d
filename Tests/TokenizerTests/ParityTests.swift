import Foundation
import Testing
import Tokenizer

/// Our wrapper must give what SentencePiece's own tools give, text for text.
@Suite struct ParityTests {
    @Test(arguments: ["mixed.model", "default.model"])
    func piecesAndIdsMatchSpmEncode(model: String) throws {
        let fixture = try TokenizerFixtures.parity()
        let cases = try #require(fixture.models[model])
        #expect(cases.count >= 50)
        let tokenizer = try TokenizerFixtures.tokenizer(model)
        for item in cases {
            #expect(tokenizer.pieces(item.text) == item.pieces, "pieces of \(item.text.debugDescription)")
            #expect(tokenizer.encode(item.text) == item.ids, "ids of \(item.text.debugDescription)")
            let tokens = tokenizer.tokens(item.text)
            #expect(tokens.map(\.piece) == item.pieces && tokens.map(\.id) == item.ids)
        }
    }

    @Test(arguments: ["mixed.model", "default.model"])
    func decodeMatchesSpmDecode(model: String) throws {
        let fixture = try TokenizerFixtures.parity()
        let tokenizer = try TokenizerFixtures.tokenizer(model)
        for item in try #require(fixture.models[model]) {
            #expect(tokenizer.decode(item.ids) == item.decoded, "decode of \(item.text.debugDescription)")
        }
    }

    @Test func loadingFromBytesEqualsLoadingFromFile() throws {
        let url = TokenizerFixtures.folder.appendingPathComponent("mixed.model")
        let fromFile = try SentencePieceTokenizer(modelFile: url)
        let fromData = try SentencePieceTokenizer(modelData: Data(contentsOf: url))
        #expect(fromFile.vocabularySize == fromData.vocabularySize)
        for text in ["a red circle", "Straße 😀", ""] {
            #expect(fromFile.encode(text) == fromData.encode(text))
        }
    }
}
