import Foundation
import TensorEngine
import TestSupport

/// Paths of the committed fixtures (written by scripts/make_fixtures.py).
enum SafetensorsFixtures {
    static var root: URL { TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures", isDirectory: true) }

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The tensors of safetensors/python_written.safetensors, rebuilt from the same formulas as
    /// `format_tensors()` in the script.
    static let six: [Float] = (0 ..< 6).map { Float($0) * 0.5 - 1 }
    static let int64Values: [Int64] = [-3, 0, 5, 1 << 40]
    static let int32Values: [Int32] = [-7, .max, .min, 11]

    static func formatWriter(metadata: [String: String]?) throws -> SafetensorsWriter {
        var writer = SafetensorsWriter(metadata: metadata)
        // Added in an order unlike the file's, so that the writer's own sorting is exercised.
        try writer.add(name: "b.i32", int32s: int32Values, shape: [2, 2])
        try writer.add(name: "empty", floats: [], shape: [0, 3])
        try writer.add(name: "z.f32", floats: six, shape: [2, 3])
        try writer.add(name: "a.bf16", floats: six, shape: [6], as: .bf16)
        try writer.add(name: "scalar", floats: [3.25], shape: [])
        try writer.add(name: "m.i64", int64s: int64Values, shape: [4])
        try writer.add(name: "c.f16", floats: six, shape: [3, 2], as: .f16)
        return writer
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}
