/// The SentencePiece training corpus (`prompts/corpus.txt`): captions of the shapes world, one per line.
///
/// Deterministic for a seed, so `fae-t2i tokenizer corpus` reproduces the committed file byte for byte.
/// It holds (1) `count` generated captions with the generator's paraphrases and prefixes, in the
/// proportions training will see them; (2) every ShapeBench prompt except the `novel` ones: they are
/// captions of the same world, but held-out colour-shape pairs stay out of every training text (the
/// tokenizer loses nothing, since pieces never span words and each word occurs elsewhere);
/// (3) lines that use the number words the generator never emits (above `max_objects`); (4) every
/// vocabulary word alone on a line, then all of them on one line (see below).
public enum CaptionCorpus {
    /// Path of the corpus inside the prompts directory.
    public static let relativePath = "corpus.txt"
    public static let defaultCount = 20_000
    public static let defaultSeed: UInt64 = 0xC0_2905

    public static func lines(grammar: ShapesGrammar, count: Int = defaultCount, seed: UInt64 = defaultSeed) -> [String] {
        var rng = SeededGenerator(seed: seed)
        let generator = SceneGenerator(grammar: grammar)
        var lines = (0..<max(0, count)).map { _ in generator.sample(using: &rng).caption }
        lines += ShapeBench.prompts(grammar: grammar).filter { $0.category != .novel }.map(\.prompt)

        // Every number phrase with every plural shape wording, colour wordings cycled (never a held-out pair).
        var colorIndex = 0
        for number in grammar.numberPhrases.entries {
            for shape in ShapeKind.allCases {
                let colors = grammar.colors.filter { !grammar.isHeldOut(color: $0, shape: shape) }
                    .flatMap { grammar.colorPhrases.phrases(for: $0) }
                for plural in grammar.pluralShapePhrases.phrases(for: shape) {
                    let color = colors.isEmpty ? "" : colors[colorIndex % colors.count] + " "
                    colorIndex += 1
                    lines.append("\(number.words.joined(separator: " ")) \(color)\(plural)")
                }
            }
        }
        // Every word alone on a line, and all words on one line. SentencePiece's unigram trainer seeds its
        // vocabulary with maximal repeats (strings followed by more than one distinct character), so a
        // word always followed by a space ("blue") or always ending a line ("background") would only get
        // fragments: "▁b lu e". Seen in both positions, each word becomes a seed and EM keeps it whole.
        let words = grammar.vocabulary.sorted()
        lines += words
        lines.append(words.joined(separator: " "))
        return lines
    }

    /// The file contents: one caption per line, newline-terminated.
    public static func text(grammar: ShapesGrammar, count: Int = defaultCount, seed: UInt64 = defaultSeed) -> String {
        lines(grammar: grammar, count: count, seed: seed).joined(separator: "\n") + "\n"
    }
}
