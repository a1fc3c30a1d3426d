import Foundation
import Testing
import TensorEngine
import TestSupport

@Suite struct SafetensorsReaderTests {
    @Test func readsPythonWrittenFile() throws {
        let file = try SafetensorsFile(url: SafetensorsFixtures.url("safetensors/python_written.safetensors"))
        #expect(file.metadata == ["format": "pt"])
        #expect(Set(file.names) == ["z.f32", "c.f16", "a.bf16", "m.i64", "b.i32", "scalar", "empty"])
        #expect(try file.info("z.f32").shape == [2, 3])
        #expect(try file.info("c.f16").dtype == .f16)
        #expect(try file.floats("z.f32") == SafetensorsFixtures.six)
        #expect(try file.floats("c.f16") == SafetensorsFixtures.six)
        #expect(try file.floats("a.bf16") == SafetensorsFixtures.six)
        #expect(try file.int64s("m.i64") == SafetensorsFixtures.int64Values)
        #expect(try file.int32s("b.i32") == SafetensorsFixtures.int32Values)
        #expect(try file.int64s("b.i32") == SafetensorsFixtures.int32Values.map(Int64.init))
        #expect(try file.info("scalar").shape == [])
        #expect(try file.floats("scalar") == [3.25])
        #expect(try file.floats("empty") == [])
        let raw = try file.withUnsafeBytes("z.f32") { Array($0) }
        #expect(raw.count == 24)

        var buffer = [Float](repeating: 0, count: 6)
        try buffer.withUnsafeMutableBufferPointer { try file.copyFloats("c.f16", into: $0) }
        #expect(buffer == SafetensorsFixtures.six)
    }

    @Test func metadataIsOptional() throws {
        let file = try SafetensorsFile(url: SafetensorsFixtures.url("safetensors/python_no_metadata.safetensors"))
        #expect(file.metadata == nil)
        #expect(try file.floats("z.f32") == SafetensorsFixtures.six)
    }

    @Test func unsupportedDTypeIsReportedByNameWhenAccessed() throws {
        let file = try SafetensorsFile(url: SafetensorsFixtures.url("safetensors/python_f64.safetensors"))
        #expect(try file.floats("ok") == [1])
        let error = try #require(throws: SafetensorsError.self) { try file.floats("f64") }
        #expect(error.code == .unsupportedDType)
        #expect(error.description.contains("F64") && error.description.contains("'f64'"))
        #expect(error.description.contains("python_f64.safetensors"))
    }

    @Test func wrongTypeAndMissingTensor() throws {
        let file = try SafetensorsFile(url: SafetensorsFixtures.url("safetensors/python_written.safetensors"))
        #expect(throws: SafetensorsError.self) { try file.int32s("m.i64") }
        #expect(throws: SafetensorsError.self) { try file.int64s("z.f32") }
        let missing = try #require(throws: SafetensorsError.self) { try file.floats("nope") }
        #expect(missing.code == .tensorNotFound && missing.tensor == "nope")
        var short = [Float](repeating: 0, count: 5)
        #expect(throws: SafetensorsError.self) { try short.withUnsafeMutableBufferPointer { try file.copyFloats("z.f32", into: $0) } }
    }

    @Test func missingFileIsAnIOError() throws {
        let error = try #require(throws: SafetensorsError.self) {
            try SafetensorsFile(url: URL(fileURLWithPath: "/nonexistent/x.safetensors"))
        }
        #expect(error.code == .io && error.description.contains("/nonexistent/x.safetensors"))
    }
}
