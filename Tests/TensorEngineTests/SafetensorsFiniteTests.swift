import Foundation
import Testing
import TensorEngine
import TestSupport

/// `copyFiniteFloats` refuses NaN and infinities (F32 and half precision) and names the tensor.
@Suite struct SafetensorsFiniteTests {
    static func file(_ values: [Float], as dtype: SafetensorsDType) throws -> SafetensorsFile {
        var writer = SafetensorsWriter()
        try writer.add(name: "fine", floats: [1, -2, 0.5, 0], shape: [2, 2], as: dtype)
        try writer.add(name: "blocks.0.weight", floats: values, shape: [2, 3], as: dtype)
        let url = try TestPaths.temporaryDirectory("finite").appendingPathComponent("model.safetensors")
        try writer.write(to: url)
        return try SafetensorsFile(url: url)
    }

    @Test(arguments: [SafetensorsDType.f32, .f16, .bf16])
    func refusesNaNAndInfinityNamingTheTensor(dtype: SafetensorsDType) throws {
        let file = try Self.file([0, 1, .nan, 3, -.infinity, 5], as: dtype)
        var fine = [Float](repeating: 9, count: 4)
        try fine.withUnsafeMutableBufferPointer { try file.copyFiniteFloats("fine", into: $0) }
        #expect(fine == [1, -2, 0.5, 0])
        var out = [Float](repeating: 0, count: 6)
        let error = try #require(throws: SafetensorsError.self) {
            try out.withUnsafeMutableBufferPointer { try file.copyFiniteFloats("blocks.0.weight", into: $0) }
        }
        #expect(error.code == .nonFiniteValue && error.tensor == "blocks.0.weight")
        #expect(error.description.contains("tensor 'blocks.0.weight'") && error.description.contains("2 of its 6 values are NaN or infinite"))
        #expect(error.description.contains("flat index 2"))
        // The unchecked read still gives the raw values (e.g. for inspecting a broken file).
        try out.withUnsafeMutableBufferPointer { try file.copyFloats("blocks.0.weight", into: $0) }
        #expect(out[2].isNaN && out[4] == -.infinity)
    }
}
