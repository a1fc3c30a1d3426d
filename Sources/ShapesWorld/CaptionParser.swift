/// Parses captions of the shapes world into `SceneSpec`s with the grammar's phrase tables.
///
/// Accepted (case-insensitive, extra whitespace and one trailing period tolerated):
///
///     caption    := [prefix] body [background]
///     body       := count | object relation object | object { ("," | "and" | ", and") object }
///     object     := [article] [size] [colour] shape [cell-phrase]
///     count      := number [size] [colour] plural-shape
///     background := opener background-colour closer          ("on a gray background")
///
/// Phrases match longest-first, so "on the left of" (a relation) wins over "on the left" (a cell).
public struct CaptionParser: Sendable {
    public let grammar: ShapesGrammar

    public init(grammar: ShapesGrammar) {
        self.grammar = grammar
    }

    /// The spec a caption describes; throws `ShapesWorldError` naming the first problem
    /// (unknown word, misplaced word, impossible scene).
    public func parse(_ caption: String) throws -> SceneSpec {
        try parseWithPhrases(caption).spec
    }

    /// The spec and, in caption order, where each object's colour and shape are named (what the
    /// generator's binding loss labels).
    public func parseWithPhrases(_ caption: String) throws -> (spec: SceneSpec, phrases: [ObjectPhrase]) {
        var cursor = Cursor(caption: caption, tokens: CaptionTokenizer.tokens(of: caption))
        guard !cursor.tokens.isEmpty else {
            throw ShapesWorldError(.syntax, "empty caption \"\(caption)\"")
        }
        for token in cursor.tokens where !grammar.vocabulary.contains(token.text) {
            throw cursor.error(.unknownWord, "unknown word '\(token.text)'", at: token)
        }

        _ = cursor.take(grammar.prefixes)
        var spec: SceneSpec
        if let count = cursor.take(grammar.numberPhrases) {
            spec = try parseCount(count, &cursor)
        } else {
            spec = SceneSpec(grammar: grammar, objects: [try parseObject(&cursor)])
            if let relation = cursor.take(grammar.relationPhrases) {
                spec.objects.append(try parseObject(&cursor))
                spec.form = .relation
                spec.relations = [RelationSpec(subject: 0, relation: relation, object: 1)]
            } else {
                while cursor.skipSeparator(grammar) {
                    spec.objects.append(try parseObject(&cursor))
                }
            }
        }
        if cursor.take(grammar.backgroundOpeners) != nil {
            guard let background = cursor.take(grammar.backgroundPhrases) else {
                throw cursor.unexpected(expecting: "a background colour (\(grammar.backgrounds.map(\.name).joined(separator: ", ")))")
            }
            guard cursor.take(grammar.backgroundClosers) != nil else {
                throw cursor.unexpected(expecting: "'background'")
            }
            spec.background = background
        }
        if !cursor.isAtEnd {
            throw cursor.unexpected(expecting: "the end of the caption")
        }
        do {
            try spec.validate()
        } catch let error as ShapesWorldError {
            throw ShapesWorldError(error.code, "\(error.message) in \"\(caption)\"")
        }
        return (spec, cursor.phrases)
    }

    private func parseCount(_ count: Int, _ cursor: inout Cursor) throws -> SceneSpec {
        let size = cursor.take(grammar.sizePhrases)
        let colorStart = cursor.index
        let color = cursor.take(grammar.colorPhrases)
        let shapeStart = cursor.index
        guard let shape = cursor.take(grammar.pluralShapePhrases) else {
            throw cursor.unexpected(expecting: "a plural shape (e.g. 'circles', 'crosses')")
        }
        guard count <= grammar.maxObjects else {
            throw cursor.error(.impossibleScene, "impossible scene: too many objects: \(count) (a scene holds at most \(grammar.maxObjects), one per cell)", at: nil)
        }
        cursor.recordPhrase(shape: shape, color: color, colorStart: colorStart, shapeStart: shapeStart)
        let object = ObjectSpec(shape: shape, color: color, size: size)
        return SceneSpec(grammar: grammar, form: .count, objects: Array(repeating: object, count: count))
    }

    private func parseObject(_ cursor: inout Cursor) throws -> ObjectSpec {
        _ = cursor.take(grammar.articles)
        let size = cursor.take(grammar.sizePhrases)
        let colorStart = cursor.index
        let color = cursor.take(grammar.colorPhrases)
        let shapeStart = cursor.index
        guard let shape = cursor.take(grammar.singularShapePhrases) else {
            if cursor.peek(grammar.pluralShapePhrases) != nil {
                throw cursor.unexpected(expecting: "a singular shape (plurals need a number, as in 'two circles')")
            }
            throw cursor.unexpected(expecting: "a shape (\(ShapeKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        cursor.recordPhrase(shape: shape, color: color, colorStart: colorStart, shapeStart: shapeStart)
        let cell = takeCell(&cursor)
        return ObjectSpec(shape: shape, color: color, size: size, cell: cell)
    }

    /// The cell phrase after an object, if any. Cell and relation phrases overlap ("at the bottom right of"
    /// is "at the bottom" + "right of"; "on the left of" is a relation, not "on the left" + "of"), so take
    /// the longest cell phrase after which the caption can go on, and none if a relation reads further.
    private func takeCell(_ cursor: inout Cursor) -> GridCell? {
        let relationLength = cursor.matchLength(grammar.relationPhrases)
        for match in grammar.cellPhrases.allMatches(in: cursor.tokens, at: cursor.index) where match.length > relationLength {
            if canFollowObject(cursor.tokens, at: cursor.index + match.length) {
                cursor.index += match.length
                return match.value
            }
        }
        return nil
    }

    /// Whether something that may follow an object phrase starts at `index`.
    private func canFollowObject(_ tokens: [CaptionToken], at index: Int) -> Bool {
        index == tokens.count || tokens[index].text == ","
            || grammar.conjunctions.longestMatch(in: tokens, at: index) != nil
            || grammar.relationPhrases.longestMatch(in: tokens, at: index) != nil
            || grammar.backgroundOpeners.longestMatch(in: tokens, at: index) != nil
    }
}

extension CaptionParser {
    /// A position in the token list plus error reporting against the original caption.
    struct Cursor {
        let caption: String
        let tokens: [CaptionToken]
        var index = 0
        /// The object phrases read so far.
        private(set) var phrases: [ObjectPhrase] = []

        init(caption: String, tokens: [CaptionToken]) {
            self.caption = caption
            self.tokens = tokens
        }

        var isAtEnd: Bool { index >= tokens.count }

        func peek<Value>(_ table: PhraseTable<Value>) -> Value? {
            table.longestMatch(in: tokens, at: index)?.value
        }

        func matchLength<Value>(_ table: PhraseTable<Value>) -> Int {
            table.longestMatch(in: tokens, at: index)?.length ?? 0
        }

        /// Records the object phrase whose colour phrase (empty when none) starts at token `colorStart`
        /// and whose shape phrase spans from `shapeStart` to the current token.
        mutating func recordPhrase(shape: ShapeKind, color: NamedColor?, colorStart: Int, shapeStart: Int) {
            phrases.append(ObjectPhrase(shape: shape, color: color, shapeCharacters: characters(of: shapeStart ..< index),
                                        colorCharacters: color == nil ? nil : characters(of: colorStart ..< shapeStart)))
        }

        /// The characters of the caption that tokens `range` (not empty) cover.
        func characters(of range: Range<Int>) -> Range<Int> {
            let last = tokens[range.upperBound - 1]
            return tokens[range.lowerBound].position - 1 ..< last.position - 1 + last.text.count
        }

        mutating func take<Value>(_ table: PhraseTable<Value>) -> Value? {
            guard let match = table.longestMatch(in: tokens, at: index) else { return nil }
            index += match.length
            return match.value
        }

        /// Consumes ",", "and" or ", and" between list items.
        mutating func skipSeparator(_ grammar: ShapesGrammar) -> Bool {
            var skipped = false
            if !isAtEnd, tokens[index].text == "," {
                index += 1
                skipped = true
            }
            if take(grammar.conjunctions) != nil { skipped = true }
            return skipped
        }

        func unexpected(expecting expected: String) -> ShapesWorldError {
            guard !isAtEnd else {
                return ShapesWorldError(.syntax, "incomplete caption \"\(caption)\": expected \(expected) at the end")
            }
            return error(.syntax, "expected \(expected) but found '\(tokens[index].text)'", at: tokens[index])
        }

        func error(_ code: ShapesWorldError.Code, _ problem: String, at token: CaptionToken?) -> ShapesWorldError {
            if let token {
                return ShapesWorldError(code, "\(problem) at position \(token.position) in \"\(caption)\"")
            }
            return ShapesWorldError(code, "\(problem) in \"\(caption)\"")
        }
    }
}
