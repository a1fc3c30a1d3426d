import Foundation
import Testing
import TensorEngine
import TestSupport

@Suite struct SafetensorsWriterTests {
    @Test func byteIdenticalToPythonWithMetadata() throws {
        let expected = try SafetensorsFixtures.bytes(SafetensorsFixtures.url("safetensors/python_written.safetensors"))
        let writer = try SafetensorsFixtures.formatWriter(metadata: ["format": "pt"])
        #expect(writer.serialized() == expected)
    }

    @Test func byteIdenticalToPythonWithoutMetadata() throws {
        let expected = try SafetensorsFixtures.bytes(SafetensorsFixtures.url("safetensors/python_no_metadata.safetensors"))
        let writer = try SafetensorsFixtures.formatWriter(metadata: nil)
        #expect(writer.serialized() == expected)
    }

    @Test func rewritingAPythonFileReproducesIt() throws {
        // Read every tensor's raw bytes and write them back: the file must come out unchanged.
        for fixture in ["dinov2/model.safetensors", "t5_gated_gelu/model.safetensors"] {
            let url = SafetensorsFixtures.url(fixture)
            let file = try SafetensorsFile(url: url)
            var writer = SafetensorsWriter(metadata: file.metadata)
            for info in file.tensors.reversed() {
                try writer.add(name: info.name, dtype: info.dtype, shape: info.shape,
                               bytes: try file.withUnsafeBytes(info.name) { Array($0) })
            }
            #expect(writer.serialized() == (try SafetensorsFixtures.bytes(url)), "\(fixture)")
        }
    }

    @Test func headerEscapingMatchesSerdeJSON() throws {
        // Bytes written by safetensors 0.8 for save({"x": zeros(1)}, metadata={"k": <value>}).
        var writer = SafetensorsWriter(metadata: ["k": "a\u{01}\u{7f}/é\"\\\n\t\u{08}\u{0c}\r\u{1f}"])
        try writer.add(name: "x", floats: [0], shape: [1])
        let bytes = writer.serialized()
        let header = String(decoding: bytes[8 ..< bytes.count - 4], as: UTF8.self)
        #expect(header == #"{"__metadata__":{"k":"a\u0001"# + "\u{7f}" + #"/é\"\\\n\t\b\f\r\u001f"},"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}   "#)

        let empty = SafetensorsWriter().serialized()
        #expect(empty == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))
    }

    @Test func roundTripThroughDisk() throws {
        let url = try TestPaths.temporaryDirectory("writer").appendingPathComponent("out.safetensors")
        let values: [Float] = [1, -2.5, .infinity, 1e-30, 65504, 0.1]
        try SafetensorsWriter.write(tensors: [
            .init(name: "raw", dtype: .u8, shape: [3], bytes: [1, 2, 3]),
        ], metadata: ["a": "1", "b": "2"], to: url)
        var writer = SafetensorsWriter(metadata: ["note": "round trip"])
        try writer.add(name: "f32", floats: values, shape: [2, 3])
        try writer.add(name: "f16", floats: values, shape: [6], as: .f16)
        try writer.add(name: "bf16", floats: values, shape: [6], as: .bf16)
        try writer.write(to: url)

        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == ["note": "round trip"])
        #expect(try file.floats("f32") == values)
        #expect(try file.floats("f16") == values.map { HalfPrecision.float(fromF16: HalfPrecision.f16Bits($0)) })
        #expect(try file.floats("bf16") == values.map { HalfPrecision.float(fromBF16: HalfPrecision.bf16Bits($0)) })
    }

    @Test func rejectsInconsistentEntries() throws {
        var writer = SafetensorsWriter()
        try writer.add(name: "a", floats: [1, 2], shape: [2])
        #expect(throws: SafetensorsError.self) { try writer.add(name: "a", floats: [1, 2], shape: [2]) }
        #expect(throws: SafetensorsError.self) { try writer.add(name: "b", floats: [1, 2], shape: [3]) }
        #expect(throws: SafetensorsError.self) { try writer.add(name: "__metadata__", floats: [1], shape: [1]) }
        #expect(throws: SafetensorsError.self) { try writer.add(name: "c", floats: [1], shape: [1], as: .i32) }
        #expect(throws: SafetensorsError.self) { try writer.add(name: "d", dtype: .f32, shape: [-1], bytes: []) }
    }
}
