import Foundation
import TestSupport
import Tokenizer

/// The committed parity fixture (scripts/make_tokenizer_fixtures.py): what spm_encode / spm_decode
/// print for each text with each model.
enum TokenizerFixtures {
    struct Case: Decodable {
        let text: String
        let pieces: [String]
        let ids: [Int32]
        let decoded: String
    }

    struct File: Decodable {
        let tool: String
        let models: [String: [Case]]
    }

    static var folder: URL { TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/tokenizer") }

    static func parity() throws -> File {
        try JSONDecoder().decode(File.self, from: Data(contentsOf: folder.appendingPathComponent("parity.json")))
    }

    static func tokenizer(_ name: String) throws -> SentencePieceTokenizer {
        try SentencePieceTokenizer(modelFile: folder.appendingPathComponent(name))
    }

    /// A tiny corpus for training tests.
    static func writeCorpus(_ lines: [String], in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("corpus.txt")
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: url)
        return url
    }

    static let tinyCorpus: [String] = {
        let colors = ["red", "green", "blue", "yellow"]
        let shapes = ["circle", "square", "triangle", "cross"]
        var lines: [String] = []
        for (i, color) in colors.enumerated() {
            for (j, shape) in shapes.enumerated() {
                lines.append("a \(color) \(shape)")
                lines.append("a \(color) \(shape) left of a \(colors[(i + j + 1) % 4]) \(shapes[(i + 2 * j + 1) % 4])")
            }
        }
        return lines
    }()
}
