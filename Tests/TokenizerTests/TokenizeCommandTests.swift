import Foundation
import TestSupport
import Testing

/// `fae-t2i tokenize` and `fae-t2i tokenizer train`, run as a user would.
@Suite struct TokenizeCommandTests {
    struct Output: Decodable {
        let pieces: [String]
        let ids: [Int32]
    }

    @Test func tokenizeJSONMatchesSpmEncode() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let model = TokenizerFixtures.folder.appendingPathComponent("mixed.model").path
        let cases = try #require(try TokenizerFixtures.parity().models["mixed.model"])
        for item in cases.prefix(30) {
            let result = try runner.run(["tokenize", item.text, "--model", model, "--json"])
            #expect(result.status == 0, "\(result.stderr)")
            let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
            #expect(output.pieces == item.pieces && output.ids == item.ids, "\(item.text.debugDescription)")
        }
    }

    @Test func tokenizePlainPrintsPiecesThenIds() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let model = TokenizerFixtures.folder.appendingPathComponent("mixed.model").path
        let item = try #require(try TokenizerFixtures.parity().models["mixed.model"]?.first)
        let result = try runner.run(["tokenize", item.text, "--model", model])
        #expect(result.stdout == item.pieces.joined(separator: " ") + "\n" + item.ids.map(String.init).joined(separator: " ") + "\n")
        let withEOS = try runner.run(["tokenize", item.text, "--model", model, "--eos", "--json"])
        #expect(try JSONDecoder().decode(Output.self, from: Data(withEOS.stdout.utf8)).ids == item.ids + [1])
    }

    @Test func tokenizeDefaultModelAndErrors() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let result = try runner.run(["tokenize", "a red circle", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let missing = try runner.run(["tokenize", "a red circle", "--model", "/nonexistent/spiece.model"])
        #expect(missing.status != 0 && missing.stderr.contains("no SentencePiece model"))
    }

    @Test func trainCommandErrors() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let folder = try TestPaths.temporaryDirectory("cli-train")
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = try TokenizerFixtures.writeCorpus(TokenizerFixtures.tinyCorpus, in: folder)
        let out = folder.appendingPathComponent("spiece.model").path
        let ok = try runner.run(["tokenizer", "train", "--corpus", corpus.path, "--vocab", "26", "--out", out, "--json"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("\"vocabulary_size\" : 26"))
        let tooBig = try runner.run(["tokenizer", "train", "--corpus", corpus.path, "--vocab", "5000", "--out", out])
        #expect(tooBig.status != 0 && tooBig.stderr.contains("too large"))
        let noCorpus = try runner.run(["tokenizer", "train", "--corpus", folder.appendingPathComponent("x.txt").path,
                                       "--vocab", "26", "--out", out])
        #expect(noCorpus.status != 0 && noCorpus.stderr.contains("no corpus file"))
    }
}
