import Foundation
import TestSupport
import Testing
import Tokenizer

/// Loading fails with a TokenizerError, never a crash.
@Suite struct LoadingErrorTests {
    @Test func missingModelFile() throws {
        let error = try #require(throws: TokenizerError.self) {
            try SentencePieceTokenizer(modelFile: URL(fileURLWithPath: "/nonexistent/spiece.model"))
        }
        #expect(error.code == .modelNotFound && error.message.contains("/nonexistent/spiece.model"))
    }

    @Test func fileThatIsNotAModel() throws {
        let folder = try TestPaths.temporaryDirectory("spm-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let contents: [Data] = [Data("a red circle\nthis is a text file\n".utf8), Data([0xFF, 0x00, 0x13, 0x37] + Array(repeating: 0xAB, count: 100))]
        for (index, data) in contents.enumerated() {
            let url = folder.appendingPathComponent("bad\(index).model")
            try data.write(to: url)
            let error = try #require(throws: TokenizerError.self) { try SentencePieceTokenizer(modelFile: url) }
            #expect(error.code == .invalidModel)
        }
    }

    @Test func emptyFileAndDirectory() throws {
        let folder = try TestPaths.temporaryDirectory("spm-empty-model")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("empty.model")
        try Data().write(to: url)
        #expect(throws: TokenizerError.self) { try SentencePieceTokenizer(modelFile: url) }
        #expect(throws: TokenizerError.self) { try SentencePieceTokenizer(modelFile: folder) }
        #expect(throws: TokenizerError.self) { try SentencePieceTokenizer(modelData: Data()) }
        #expect(throws: TokenizerError.self) { try SentencePieceTokenizer(modelData: Data("not a model".utf8)) }
    }
}
