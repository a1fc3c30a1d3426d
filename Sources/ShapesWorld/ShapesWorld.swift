import Foundation
import ImageCodec

/// The shapes world in one value: grammar, caption parser, scene sampling and the reference renderer.
/// This is what the worker and the CLI use (prompt + seed -> scene and image).
public struct ShapesWorld: Sendable {
    public let grammar: ShapesGrammar
    public let parser: CaptionParser

    public init(grammar: ShapesGrammar) {
        self.grammar = grammar
        self.parser = CaptionParser(grammar: grammar)
    }

    /// Loads the grammar from a `prompts/` directory.
    public init(promptsDirectory: URL) throws {
        self.init(grammar: try ShapesGrammar.load(from: promptsDirectory))
    }

    /// Parses a caption into its (partial) spec.
    public func parse(_ prompt: String) throws -> SceneSpec {
        try parser.parse(prompt)
    }

    /// The scene `prompt` describes, with unspecified attributes drawn from `seed`, and its reference render.
    public func render(prompt: String, seed: UInt64) throws -> (Scene, RGBImage) {
        var rng = SeededGenerator(seed: seed)
        let scene = try parser.parse(prompt).resolve(using: &rng)
        return (scene, ReferenceRenderer.render(scene))
    }
}
