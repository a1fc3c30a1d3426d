import Foundation
import FuzzSupport
import ShapesWorld

/// `prompts/shapes_grammar.json`: checked and indexed by `ShapesGrammar(json:)`; a grammar it accepts
/// must then parse, resolve and generate captions without crashing.
enum GrammarFuzzTarget {
    /// The demo prompts: captions of every form, most of which a mutated grammar still reads.
    static let captions: [String] = FuzzSetup.require("read prompts/demo.txt") {
        try String(contentsOf: FuzzPaths.repository("prompts/demo.txt"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    }

    static func run(_ data: Data) {
        guard let grammar = try? ShapesGrammar(json: data) else { return }
        let parser = CaptionParser(grammar: grammar)
        var rng = SeededGenerator(seed: UInt64(data.count))
        for caption in captions {
            guard let spec = try? parser.parse(caption), let scene = try? spec.resolve(using: &rng) else { continue }
            for object in scene.objects { _ = scene.boundingBox(of: object) }
        }
        let generator = SceneGenerator(grammar: grammar)
        for _ in 0..<4 {
            let sample = generator.sample(using: &rng)
            _ = try? parser.parse(sample.caption)
        }
    }
}
