import ShapesWorld
import Tokenizer

/// The labels of the generator's binding loss (its `TokenClassifier` head), one per text token of
/// each caption's `TextBatchEncoder` row: at every piece of an object's colour phrase and of its shape
/// phrase, the object's (colour, shape) pair as one class (`colour * shapes + shape`), so the text
/// encoder's vector at "circle" must say which colour the caption gives that circle, and at "red"
/// which shape is red; `TokenLabels.unlabelled` elsewhere. Objects named without a colour get none.
/// The phrases come from the caption grammar's parse; captions it cannot parse, and captions whose
/// SentencePiece pieces do not spell them out character for character, are left unlabelled.
struct BindingLabels {
    /// Colours x shapes of the grammar.
    let classes: Int
    /// (captions, T) row-major, T = `maxTokens`.
    let labels: [Int32]
    /// Captions with at least one label.
    let labelledCaptions: Int

    init(captions: [String], tokenizer: SentencePieceTokenizer, maxTokens: Int, grammar: ShapesGrammar) {
        let parser = CaptionParser(grammar: grammar)
        classes = grammar.colors.count * ShapeKind.allCases.count
        // Pieces past this many are cut by `TextBatchEncoder.encodeRow` (the last slot is `</s>`).
        let room = tokenizer.eosID == nil ? maxTokens : maxTokens - 1
        var labels: [Int32] = []
        labels.reserveCapacity(captions.count * maxTokens)
        var labelledCaptions = 0
        for caption in captions {
            var row = [Int32](repeating: TokenLabels.unlabelled, count: maxTokens)
            if let phrases = try? parser.parseWithPhrases(caption).phrases,
               let pieces = Self.pieceCharacters(of: caption, tokenizer: tokenizer) {
                for phrase in phrases {
                    guard let color = phrase.color, let colorIndex = grammar.colors.firstIndex(of: color),
                          let colorCharacters = phrase.colorCharacters,
                          let shapeIndex = ShapeKind.allCases.firstIndex(of: phrase.shape) else { continue }
                    let label = Int32(colorIndex * ShapeKind.allCases.count + shapeIndex)
                    for (k, characters) in pieces.prefix(room).enumerated()
                    where characters.overlaps(colorCharacters) || characters.overlaps(phrase.shapeCharacters) {
                        row[k] = label
                    }
                }
            }
            if row.contains(where: { $0 != TokenLabels.unlabelled }) { labelledCaptions += 1 }
            labels += row
        }
        self.labels = labels
        self.labelledCaptions = labelledCaptions
    }

    /// The characters of `caption` that each of its pieces covers (a piece's leading "▁" stands for
    /// the space before its word, or for nothing at the start), or nil when the pieces, spaces for
    /// "▁", do not spell " " + caption (a normalisation changed the text).
    static func pieceCharacters(of caption: String, tokenizer: SentencePieceTokenizer) -> [Range<Int>]? {
        let pieces = tokenizer.pieces(caption)
        var spelled = "", ranges: [Range<Int>] = []
        var start = -1                                    // the "▁" that SentencePiece adds before the text
        for piece in pieces {
            let text = piece.replacingOccurrences(of: "\u{2581}", with: " ")
            spelled += text
            ranges.append(start ..< start + text.count)
            start += text.count
        }
        return spelled == " " + caption ? ranges : nil
    }
}
