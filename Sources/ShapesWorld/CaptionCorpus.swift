/// The SentencePiece training corpus (`prompts/corpus.txt`): captions of the shapes world, one per line.
///
/// Deterministic for a seed, so `fae-t2i tokenizer corpus` reproduces the committed file byte for byte.
/// It holds (1) `count` generated captions with the generator's paraphrases and prefixes, in the
/// proportions training will see them; (2) every ShapeBench prompt, which are captions of the same world;
/// (3) lines that use each grammar phrase the generator never emits (numbers above `max_objects`,
/// "on an"), so that every vocabulary word has been seen by the tokenizer.
public enum CaptionCorpus {
    /// Path of the corpus inside the prompts directory.
    public static let relativePath = "corpus.txt"
    public static let defaultCount = 20_000
    public static let defaultSeed: UInt64 = 0xC0_2905

    public static func lines(grammar: ShapesGrammar, count: Int = defaultCount, seed: UInt64 = defaultSeed) -> [String] {
        var rng = SeededGenerator(seed: seed)
        let generator = SceneGenerator(grammar: grammar)
        var lines = (0..<max(0, count)).map { _ in generator.sample(using: &rng).caption }
        lines += ShapeBench.prompts(grammar: grammar).map(\.prompt)

        // Every number phrase with every plural shape wording, colours cycled.
        let colors = grammar.colors.flatMap { grammar.colorPhrases.phrases(for: $0) }
        var colorIndex = 0
        for number in grammar.numberPhrases.entries {
            for shape in ShapeKind.allCases {
                for plural in grammar.pluralShapePhrases.phrases(for: shape) {
                    let color = colors.isEmpty ? "" : colors[colorIndex % colors.count] + " "
                    colorIndex += 1
                    lines.append("\(number.words.joined(separator: " ")) \(color)\(plural)")
                }
            }
        }
        // Any word still unseen (e.g. an opener that fits no background name) gets a line of its own.
        let seen = Set(lines.flatMap { CaptionTokenizer.words(of: $0) })
        lines += grammar.vocabulary.subtracting(seen).sorted()
        return lines
    }

    /// The file contents: one caption per line, newline-terminated.
    public static func text(grammar: ShapesGrammar, count: Int = defaultCount, seed: UInt64 = defaultSeed) -> String {
        lines(grammar: grammar, count: count, seed: seed).joined(separator: "\n") + "\n"
    }
}
