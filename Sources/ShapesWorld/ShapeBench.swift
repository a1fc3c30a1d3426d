import Foundation

/// The ShapeBench prompt sets. `prompts(grammar:)` is the single source of `prompts/eval/shapebench.jsonl`
/// and `validationPrompts(grammar:)` of `prompts/val/shapebench.jsonl` (a test checks that the
/// committed files match), so both sets are deterministic and always parse.
public enum ShapeBench {
    /// Path of the evaluation prompt file inside the prompts directory.
    public static let relativePath = "eval/shapebench.jsonl"
    /// Path of the validation prompt file (what training runs and A/B choices are judged on).
    public static let validationRelativePath = "val/shapebench.jsonl"

    /// Reads `eval/shapebench.jsonl` from a prompts directory.
    public static func load(from promptsDirectory: URL) throws -> [ShapeBenchPrompt] {
        try load(file: promptsDirectory.appendingPathComponent(relativePath))
    }

    /// Reads a ShapeBench prompt file (one `{"category": ..., "prompt": ...}` per line).
    public static func load(file url: URL) throws -> [ShapeBenchPrompt] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ShapesWorldError(.grammarFile, "cannot read ShapeBench prompts at \(url.path)")
        }
        var prompts: [ShapeBenchPrompt] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            do {
                prompts.append(try JSONDecoder().decode(ShapeBenchPrompt.self, from: Data(line.utf8)))
            } catch {
                throw ShapesWorldError(.grammarFile, "\(url.path) line \(number + 1) is not a ShapeBench prompt: \(error)")
            }
        }
        return prompts
    }

    /// The file contents: one `{"category": ..., "prompt": ...}` per line, sorted keys.
    public static func jsonLines(_ prompts: [ShapeBenchPrompt]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try prompts.map { String(decoding: try encoder.encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
    }

    /// The deterministic evaluation set (20-35 prompts per category), canonical captions only.
    public static func prompts(grammar: ShapesGrammar) -> [ShapeBenchPrompt] {
        prompts(grammar: grammar, seed: 0x5EED_BE4C, validation: false)
    }

    /// The validation set: the same categories and about as many prompts, none of them in
    /// `prompts(grammar:)`. Drawn from another random stream, with a cell, a size or another
    /// count where the evaluation set already holds every plain prompt of a kind.
    public static func validationPrompts(grammar: ShapesGrammar) -> [ShapeBenchPrompt] {
        var seen = Set(prompts(grammar: grammar).map(\.prompt))
        return prompts(grammar: grammar, seed: 0x7A11_DA7E, validation: true).filter { seen.insert($0.prompt).inserted }
    }

    private static func prompts(grammar: ShapesGrammar, seed: UInt64, validation: Bool) -> [ShapeBenchPrompt] {
        var rng = SeededGenerator(seed: seed)
        let shapes = ShapeKind.allCases
        let allowed = grammar.colors.flatMap { color in
            shapes.filter { !grammar.isHeldOut(color: color, shape: $0) }.map { ObjectSpec(shape: $0, color: color) }
        }
        var result: [ShapeBenchPrompt] = []
        func add(_ category: ShapeBenchCategory, _ spec: SceneSpec) {
            result.append(ShapeBenchPrompt(category: category, prompt: spec.caption))
        }
        func spec(_ objects: [ObjectSpec], form: CaptionForm = .objects, relations: [RelationSpec] = [],
                  background: NamedColor? = nil) -> SceneSpec {
            SceneSpec(grammar: grammar, form: form, objects: objects, relations: relations, background: background)
        }
        func twoDistinct() -> (ObjectSpec, ObjectSpec) {
            while true {
                let a = rng.pick(allowed), b = rng.pick(allowed)
                if a.shape != b.shape && a.color != b.color { return (a, b) }
            }
        }

        // single: every allowed colour-shape pair once (validation: in a random cell).
        for var object in allowed {
            if validation { object.cell = rng.pick(GridCell.all) }
            add(.single, spec([object]))
        }
        // two_objects: every ordered pair of distinct shapes (validation: with random sizes).
        for a in shapes {
            for b in shapes where a != b {
                let sizeA = validation ? rng.pick(grammar.sizes) : nil, sizeB = validation ? rng.pick(grammar.sizes) : nil
                add(.twoObjects, spec([ObjectSpec(shape: a, size: sizeA), ObjectSpec(shape: b, size: sizeB)]))
            }
        }
        // counting: 30 prompts, counts 2...max cycled (validation: each object with the next count).
        for index in 0..<30 {
            let count = 2 + (index + (validation ? 1 : 0)) % max(1, grammar.maxObjects - 1)
            // Stride 11 is coprime with the 35 allowed pairs, so the 30 objects are distinct.
            let object = allowed[(index * 11 + 3) % allowed.count]
            add(.counting, spec(Array(repeating: object, count: count), form: .count))
        }
        // colors: each colour on four shapes, with a size so that the prompts differ from `single`.
        for color in grammar.colors {
            let candidates = shapes.filter { !grammar.isHeldOut(color: color, shape: $0) }
            for (index, shape) in candidates.prefix(4).enumerated() {
                let size = grammar.sizes[(index + (validation ? 1 : 0)) % grammar.sizes.count]
                add(.colors, spec([ObjectSpec(shape: shape, color: color, size: size)]))
            }
        }
        // position: 8 prompts per relation.
        for relation in Relation.allCases {
            for _ in 0..<8 {
                let (a, b) = twoDistinct()
                add(.position, spec([a, b], form: .relation, relations: [RelationSpec(subject: 0, relation: relation, object: 1)]))
            }
        }
        // color_attribution: 32 pairs of distinct shapes with distinct colours.
        for _ in 0..<32 {
            let (a, b) = twoDistinct()
            add(.colorAttribution, spec([a, b]))
        }
        // novel: each held-out pair alone, sized and placed, with a partner, counted, on a background.
        for pair in grammar.heldOutPairs.sorted(by: { $0.description < $1.description }) {
            guard let color = grammar.color(named: pair.color) else { continue }
            let novel = ObjectSpec(shape: pair.shape, color: color)
            var placed = novel
            placed.size = rng.pick(grammar.sizes)
            placed.cell = rng.pick(GridCell.all)
            var partner = rng.pick(allowed)
            while partner.shape == pair.shape { partner = rng.pick(allowed) }
            // Validation: a sized object alone and three of it, where the evaluation set has the plain one and two.
            var alone = novel
            if validation { alone.size = rng.pick(grammar.sizes) }
            add(.novel, spec([alone]))
            add(.novel, spec([placed]))
            add(.novel, spec([novel, partner]))
            add(.novel, spec(Array(repeating: novel, count: validation ? 3 : 2), form: .count))
            add(.novel, spec([novel], background: rng.pick(grammar.backgrounds)))
        }
        // background: 10 prompts per background (validation: the object with a size).
        for background in grammar.backgrounds {
            for _ in 0..<10 {
                var object = rng.pick(allowed)
                if validation { object.size = rng.pick(grammar.sizes) }
                add(.background, spec([object], background: background))
            }
        }
        return result
    }
}
