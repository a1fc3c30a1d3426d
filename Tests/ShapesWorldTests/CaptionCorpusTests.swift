import Foundation
import TestSupport
import Testing
@testable import ShapesWorld

/// The committed `prompts/corpus.txt` (the tokenizer's training text) must equal `CaptionCorpus.text`,
/// so the shipped spiece.model can be reproduced from the sources.
@Test func committedCorpusMatchesTheGenerator() throws {
    let url = TestPaths.repositoryRoot.appendingPathComponent("prompts").appendingPathComponent(CaptionCorpus.relativePath)
    let committed = try String(contentsOf: url, encoding: .utf8)
    #expect(committed == CaptionCorpus.text(grammar: testGrammar), "regenerate with `fae-t2i tokenizer corpus`")
}

@Test func corpusCoversEveryWordAndNoHeldOutPair() throws {
    let lines = CaptionCorpus.lines(grammar: testGrammar, count: 2_000)
    let words = Set(lines.flatMap { CaptionTokenizer.words(of: $0) })
    #expect(testGrammar.vocabulary.isSubset(of: words))
    // Held-out pairs stay out of all training text, the tokenizer's included.
    for line in lines {
        let spec = try? testParser.parse(line)
        for object in spec?.objects ?? [] {
            guard let color = object.color else { continue }
            #expect(!testGrammar.isHeldOut(color: color, shape: object.shape), "\(line)")
        }
    }
}
