import Foundation
import ShapesWorld
import TestSupport

/// The repository's shapes world (prompts/ grammar), loaded once.
enum ShapesWorldLoader {
    private static let shared = Result { try ShapesWorld(promptsDirectory: TestPaths.repositoryRoot.appendingPathComponent("prompts")) }
    static func world() throws -> ShapesWorld { try shared.get() }
}
