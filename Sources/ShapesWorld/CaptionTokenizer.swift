/// Splits captions into lowercase words: whitespace and hyphens separate words, a comma is a word of its
/// own, one trailing period is dropped. Grammar phrases go through the same function, so both always agree.
enum CaptionTokenizer {
    static func tokens(of text: String) -> [CaptionToken] {
        var characters = Array(text)
        // Drop trailing whitespace and then one final period ("a red circle.").
        while let last = characters.last, last.isWhitespace { characters.removeLast() }
        if characters.last == "." { characters.removeLast() }

        var tokens: [CaptionToken] = []
        var current = ""
        var start = 0
        func flush() {
            if !current.isEmpty { tokens.append(CaptionToken(text: current, position: start + 1)) }
            current = ""
        }
        for (index, character) in characters.enumerated() {
            if character.isWhitespace || character == "-" {
                flush()
            } else if character == "," {
                flush()
                tokens.append(CaptionToken(text: ",", position: index + 1))
            } else {
                if current.isEmpty { start = index }
                current += character.lowercased()
            }
        }
        flush()
        return tokens
    }

    static func words(of phrase: String) -> [String] {
        tokens(of: phrase).map(\.text)
    }
}
