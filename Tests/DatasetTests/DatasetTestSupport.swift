import Foundation
import ImageCodec
import ShapesWorld
import TestSupport
@testable import Dataset

let pngFixtures = TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/png")

/// Writes `captions.jsonl` with the given raw lines.
func writeIndex(_ lines: [String], in folder: URL) throws {
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("captions.jsonl"))
}

/// The error `body` throws, as a DatasetError (nil if it does not throw one).
func datasetError(_ body: () throws -> Void) -> DatasetError? {
    do {
        try body()
        return nil
    } catch let error as DatasetError {
        return error
    } catch {
        return nil
    }
}
