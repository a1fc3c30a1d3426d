extension SceneSpec {
    /// The canonical caption: first-listed wording everywhere, no prefix.
    public var caption: String {
        makeCaption(prefix: nil) { $0[0] }
    }

    /// A caption with randomly chosen paraphrases and, with probability `prefixProbability`, a prefix
    /// such as "a picture of". Parsing it gives back this spec.
    public func caption<G: RandomNumberGenerator>(paraphrasingWith rng: inout G, prefixProbability: Double = 0.3) -> String {
        let prefixes = grammar.prefixes.entries.map { $0.words.joined(separator: " ") }
        let prefix = !prefixes.isEmpty && rng.chance(prefixProbability) ? rng.pick(prefixes) : nil
        return makeCaption(prefix: prefix) { rng.pick($0) }
    }

    /// `choose` picks one wording from a non-empty list (canonical first).
    private func makeCaption(prefix: String?, choose: ([String]) -> String) -> String {
        func object(_ spec: ObjectSpec) -> String {
            var words: [String] = []
            if let size = spec.size { words.append(choose(grammar.sizePhrases.phrases(for: size))) }
            if let color = spec.color { words.append(choose(grammar.colorPhrases.phrases(for: color))) }
            words.append(choose(grammar.singularShapePhrases.phrases(for: spec.shape)))
            if let cell = spec.cell { words.append(choose(grammar.cellPhrases.phrases(for: cell))) }
            let rest = words.joined(separator: " ")
            return "\(Self.article(before: rest)) \(rest)"
        }

        var body: String
        switch form {
        case .count:
            let first = objects[0]
            var words = [choose(grammar.numberPhrases.phrases(for: objects.count))]
            if let size = first.size { words.append(choose(grammar.sizePhrases.phrases(for: size))) }
            if let color = first.color { words.append(choose(grammar.colorPhrases.phrases(for: color))) }
            words.append(choose(grammar.pluralShapePhrases.phrases(for: first.shape)))
            body = words.joined(separator: " ")
        case .relation where relations.count == 1 && objects.count == 2:
            let relation = relations[0]
            body = "\(object(objects[relation.subject])) \(choose(grammar.relationPhrases.phrases(for: relation.relation))) \(object(objects[relation.object]))"
        case .relation, .objects:
            let parts = objects.map(object)
            let and = choose(grammar.conjunctions.entries.map { $0.words.joined(separator: " ") })
            body = parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " \(and) " + parts[parts.count - 1]
        }
        if let background {
            let name = choose(grammar.backgroundPhrases.phrases(for: background))
            let openers = grammar.backgroundOpeners.entries.map { $0.words.joined(separator: " ") }
            let fitting = openers.filter { Self.articleFits($0, before: name) }
            let opener = choose(fitting.isEmpty ? openers : fitting)
            let closer = choose(grammar.backgroundClosers.entries.map { $0.words.joined(separator: " ") })
            body += " \(opener) \(name) \(closer)"
        }
        return prefix.map { "\($0) \(body)" } ?? body
    }

    /// "an" before a vowel-initial word, "a" otherwise (English spelling rule; good enough for this vocabulary).
    static func article(before word: String) -> String {
        startsWithVowel(word) ? "an" : "a"
    }

    /// Whether a phrase ending in an article ("on a", "on an") reads well before `word`.
    static func articleFits(_ phrase: String, before word: String) -> Bool {
        if phrase.hasSuffix(" an") { return startsWithVowel(word) }
        if phrase.hasSuffix(" a") { return !startsWithVowel(word) }
        return true
    }

    private static func startsWithVowel(_ word: String) -> Bool {
        guard let first = word.first else { return false }
        return "aeiou".contains(first)
    }
}
