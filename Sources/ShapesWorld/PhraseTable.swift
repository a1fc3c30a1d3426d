/// Multi-word phrases mapped to values, matched longest-first against caption tokens.
/// The first phrase listed for a value is its canonical wording.
struct PhraseTable<Value: Equatable & Sendable>: Equatable, Sendable {
    struct Entry: Equatable, Sendable {
        var words: [String]
        var value: Value
    }

    private(set) var entries: [Entry] = []

    mutating func add(_ phrase: String, _ value: Value) {
        let words = CaptionTokenizer.words(of: phrase)
        guard !words.isEmpty, !entries.contains(where: { $0.words == words }) else { return }
        entries.append(Entry(words: words, value: value))
    }

    /// The value of the longest phrase that starts at `tokens[index]`, and how many tokens it spans.
    func longestMatch(in tokens: [CaptionToken], at index: Int) -> (value: Value, length: Int)? {
        var best: (value: Value, length: Int)?
        for entry in entries where entry.words.count > (best?.length ?? 0) && index + entry.words.count <= tokens.count {
            var matches = true
            for (offset, word) in entry.words.enumerated() where tokens[index + offset].text != word {
                matches = false
                break
            }
            if matches { best = (entry.value, entry.words.count) }
        }
        return best
    }

    /// Every phrase that starts at `tokens[index]`, longest first.
    func allMatches(in tokens: [CaptionToken], at index: Int) -> [(value: Value, length: Int)] {
        entries.filter { entry in
            index + entry.words.count <= tokens.count
                && entry.words.enumerated().allSatisfy { tokens[index + $0.offset].text == $0.element }
        }
        .sorted { $0.words.count > $1.words.count }
        .map { ($0.value, $0.words.count) }
    }

    /// All wordings of `value`, canonical first.
    func phrases(for value: Value) -> [String] {
        entries.filter { $0.value == value }.map { $0.words.joined(separator: " ") }
    }

    var allWords: Set<String> { Set(entries.flatMap(\.words)) }
}
