import Foundation
import FuzzSupport
import ShapesWorld

/// A prompt, as the worker gets it from a job: parsed with the repository's grammar (with the
/// phrase positions the binding loss reads), then resolved and rendered as the reference renderer
/// does. Errors are the parser's answer to bad input; only a crash is a finding.
enum CaptionFuzzTarget {
    static let world = FuzzSetup.require("load prompts/shapes_grammar.json") {
        try ShapesWorld(promptsDirectory: FuzzPaths.repository("prompts"))
    }

    static func run(_ data: Data) {
        let caption = String(decoding: data, as: UTF8.self)
        guard let parsed = try? world.parser.parseWithPhrases(caption) else { return }
        // The phrase ranges index the caption's characters: check they lie inside it.
        let length = caption.count
        for phrase in parsed.phrases {
            precondition(phrase.shapeCharacters.lowerBound >= 0 && phrase.shapeCharacters.upperBound <= length,
                         "shape phrase \(phrase.shapeCharacters) outside the caption (\(length) characters)")
            if let color = phrase.colorCharacters {
                precondition(color.lowerBound >= 0 && color.upperBound <= length,
                             "colour phrase \(color) outside the caption (\(length) characters)")
            }
        }
        _ = try? world.render(prompt: caption, seed: UInt64(data.count))
    }
}
