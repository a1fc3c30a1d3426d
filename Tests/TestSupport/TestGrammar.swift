import ShapesWorld

/// The repository's grammar, loaded once for all tests.
public let testGrammar: ShapesGrammar = {
    do {
        return try ShapesGrammar.load(from: TestPaths.repositoryRoot.appendingPathComponent("prompts"))
    } catch {
        fatalError("cannot load the test grammar: \(error)")
    }
}()
