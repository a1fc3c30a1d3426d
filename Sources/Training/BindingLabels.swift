import ShapesWorld
import Tokenizer

/// The labels of the generator's binding loss (its `TokenClassifier` head), one per text token of
/// each caption's `TextBatchEncoder` row: at every piece of an object's colour phrase and of its shape
/// phrase, the object's (colour, shape) pair as one class (`colour * shapes + shape`), so the text
/// encoder's vector at "circle" must say which colour the caption gives that circle, and at "red"
/// which shape is red; `TokenLabels.unlabelled` elsewhere. Objects named without a colour get none.
/// With `BindingLabelSet.scene` the class is (colour or none, shape, place): objects without a colour
/// are labelled too, and each class also says where the caption puts the object (`places(_:)`).
/// The phrases come from the caption grammar's parse; captions it cannot parse, and captions whose
/// SentencePiece pieces do not spell them out character for character, are left unlabelled.
struct BindingLabels {
    /// Colours x shapes of the grammar; for `.scene`, (colours + 1) x shapes x places.
    let classes: Int
    /// (captions, T) row-major, T = `maxTokens`.
    let labels: [Int32]
    /// Captions with at least one label.
    let labelledCaptions: Int

    init(captions: [String], tokenizer: SentencePieceTokenizer, maxTokens: Int, grammar: ShapesGrammar,
         set: BindingLabelSet = .colorShape) {
        let parser = CaptionParser(grammar: grammar)
        let shapes = ShapeKind.allCases.count, places = Self.places(grammar)
        classes = set == .scene ? (grammar.colors.count + 1) * shapes * places : grammar.colors.count * shapes
        // Pieces past this many are cut by `TextBatchEncoder.encodeRow` (the last slot is `</s>`).
        let room = tokenizer.eosID == nil ? maxTokens : maxTokens - 1
        var labels: [Int32] = []
        labels.reserveCapacity(captions.count * maxTokens)
        var labelledCaptions = 0
        for caption in captions {
            var row = [Int32](repeating: TokenLabels.unlabelled, count: maxTokens)
            if let parse = try? parser.parseWithPhrases(caption),
               let pieces = Self.pieceCharacters(of: caption, tokenizer: tokenizer) {
                for (index, phrase) in parse.phrases.enumerated() {
                    guard let shapeIndex = ShapeKind.allCases.firstIndex(of: phrase.shape) else { continue }
                    let colorIndex = phrase.color.flatMap { grammar.colors.firstIndex(of: $0) }
                    let label: Int
                    switch set {
                    case .colorShape:
                        guard let colorIndex else { continue }
                        label = colorIndex * shapes + shapeIndex
                    case .scene:
                        let pair = (colorIndex ?? grammar.colors.count) * shapes + shapeIndex
                        label = pair * places + Self.place(ofPhrase: index, in: parse.spec)
                    }
                    for (k, characters) in pieces.prefix(room).enumerated()
                    where phrase.colorCharacters.map(characters.overlaps) == true || characters.overlaps(phrase.shapeCharacters) {
                        row[k] = Int32(label)
                    }
                }
            }
            if row.contains(where: { $0 != TokenLabels.unlabelled }) { labelledCaptions += 1 }
            labels += row
        }
        self.labels = labels
        self.labelledCaptions = labelledCaptions
    }

    /// The places of `BindingLabelSet.scene`: 0 none named, 1...9 a cell (row-major), 10...13 the
    /// left, right, upper and lower object of a relation, then a count of 2...`maxObjects`.
    static func places(_ grammar: ShapesGrammar) -> Int { firstCountPlace + max(0, grammar.maxObjects - 1) }
    static let leftPlace = 10, rightPlace = 11, upperPlace = 12, lowerPlace = 13, firstCountPlace = 14

    /// The place of the object that phrase `index` names in `spec` (phrases in caption order: a
    /// relation's subject, then its object; a count's one phrase).
    static func place(ofPhrase index: Int, in spec: SceneSpec) -> Int {
        if spec.form == .count, spec.objects.count >= 2 { return firstCountPlace + spec.objects.count - 2 }
        if let relation = spec.relations.first, index == relation.subject || index == relation.object {
            let subjectSide: Int, objectSide: Int
            switch relation.relation {
            case .leftOf: (subjectSide, objectSide) = (leftPlace, rightPlace)
            case .rightOf: (subjectSide, objectSide) = (rightPlace, leftPlace)
            case .above: (subjectSide, objectSide) = (upperPlace, lowerPlace)
            case .below: (subjectSide, objectSide) = (lowerPlace, upperPlace)
            }
            return index == relation.subject ? subjectSide : objectSide
        }
        guard spec.objects.indices.contains(index), let cell = spec.objects[index].cell else { return 0 }
        return 1 + cell.row * 3 + cell.column
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
