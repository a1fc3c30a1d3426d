import Dataset
import Foundation
import ShapesWorld
import TestSupport

/// The committed grammar and held-out scene datasets; with `TinyFAE`, enough for every evaluation
/// figure to be computed in a debug build.
enum EvaluationFixtures {
    static let grammar: ShapesGrammar = {
        do { return try ShapesGrammar.load(from: TestPaths.repositoryRoot.appendingPathComponent("prompts")) } catch {
            fatalError("cannot load the grammar: \(error)")
        }
    }()

    /// (train, eval) datasets of generated scenes in a fresh folder.
    static func datasets(train: Int, eval: Int) throws -> (root: URL, train: URL, eval: URL) {
        let root = try TestPaths.temporaryDirectory("evaluation")
        var generator = DatasetGenerator(grammar: grammar)
        generator.threads = 1
        try generator.generate(count: train, seed: 1, split: .train, into: root.appendingPathComponent("train"))
        try generator.generate(count: eval, seed: 1, split: .eval, into: root.appendingPathComponent("eval"))
        return (root, root.appendingPathComponent("train"), root.appendingPathComponent("eval"))
    }
}
