import Foundation
import Testing
import TensorEngine
import TestSupport

/// Malformed files must throw a SafetensorsError that names the file (and tensor), never crash.
@Suite struct SafetensorsMalformedTests {
    /// A file whose header is `json` (padded to 8) followed by `data` bytes.
    static func file(_ json: String, data: Int, headerLength: UInt64? = nil) -> [UInt8] {
        var header = Array(json.utf8)
        header += repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var out: [UInt8] = []
        withUnsafeBytes(of: (headerLength ?? UInt64(header.count)).littleEndian) { out += $0 }
        return out + header + [UInt8](repeating: 0, count: data)
    }

    static func open(_ bytes: [UInt8], name: String = "bad.safetensors") throws -> SafetensorsFile {
        let url = try TestPaths.temporaryDirectory("safetensors").appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return try SafetensorsFile(url: url)
    }

    static func expectError(_ bytes: [UInt8], _ code: SafetensorsError.Code, tensor: String? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try open(bytes)
            Issue.record("expected \(code), file opened", sourceLocation: sourceLocation)
        } catch let error as SafetensorsError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains("bad.safetensors"), sourceLocation: sourceLocation)
            if let tensor {
                #expect(error.tensor == tensor && error.description.contains(tensor), "\(error)", sourceLocation: sourceLocation)
            }
        } catch {
            Issue.record("unexpected error type \(error)", sourceLocation: sourceLocation)
        }
    }

    let good = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[8,12]}}"#

    @Test func wellFormedBaseline() throws {
        let file = try Self.open(Self.file(good, data: 12))
        #expect(file.names == ["a", "b"])
    }

    @Test func headerLength() {
        Self.expectError([1, 2, 3], .invalidHeaderLength)
        Self.expectError([], .invalidHeaderLength)
        Self.expectError(Self.file(good, data: 12, headerLength: 1 << 40), .invalidHeaderLength)
        Self.expectError(Self.file(good, data: 12, headerLength: UInt64.max), .invalidHeaderLength)
        Self.expectError(Self.file(good, data: 0, headerLength: 10_000), .invalidHeaderLength)
    }

    @Test func badJSON() {
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","#, data: 0), .invalidHeader)
        Self.expectError(Self.file(#"["a"]"#, data: 0), .invalidHeader)
        Self.expectError(Self.file(#"   {}"#, data: 0), .invalidHeader)
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[2]}}"#, data: 8), .invalidHeader, tensor: "a")
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, data: 8), .invalidHeader, tensor: "a")
        Self.expectError(Self.file(#"{"__metadata__":{"k":1}}"#, data: 0), .invalidHeader, tensor: "__metadata__")
        var invalidUTF8 = Self.file(#"{"a":1}"#, data: 0)
        invalidUTF8[10] = 0xFF
        Self.expectError(invalidUTF8, .invalidHeader)
    }

    @Test func dtypeAndShape() {
        Self.expectError(Self.file(#"{"a":{"dtype":"F12","shape":[2],"data_offsets":[0,8]}}"#, data: 8), .unknownDType, tensor: "a")
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8), .invalidShape, tensor: "a")
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, data: 8), .invalidShape, tensor: "a")
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}}"#, data: 8), .invalidShape, tensor: "a")
    }

    @Test func offsets() {
        // Overlap, gap, reversed range, wrong arity, past the end, not covering the buffer.
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[4,8]}}"#, data: 8), .invalidOffsets, tensor: "b")
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"I32","shape":[1],"data_offsets":[12,16]}}"#, data: 16), .invalidOffsets, tensor: "b")
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,0]}}"#, data: 8), .invalidOffsets, tensor: "a")
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,9]}}"#, data: 8), .invalidOffsets, tensor: "a")
        Self.expectError(Self.file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}"#, data: 8), .invalidOffsets, tensor: "a")
        Self.expectError(Self.file(good, data: 16), .incompleteBuffer)  // trailing bytes
    }

    @Test func truncatedData() {
        Self.expectError(Self.file(good, data: 11), .incompleteBuffer, tensor: "b")
        Self.expectError(Self.file(good, data: 0), .incompleteBuffer, tensor: "a")
    }

    /// Every truncation and many single-byte corruptions of a real file: errors only, no crash.
    @Test func truncationsAndCorruptionsNeverCrash() throws {
        let bytes = try SafetensorsFixtures.bytes(SafetensorsFixtures.url("safetensors/python_written.safetensors"))
        for length in 0 ..< bytes.count {
            #expect(throws: SafetensorsError.self) { try Self.open(Array(bytes[..<length])) }
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0 ..< 200 {
            var corrupted = bytes
            let position = Int.random(in: 0 ..< min(bytes.count, 400), using: &generator)
            corrupted[position] = UInt8.random(in: 0 ... 255, using: &generator)
            if let file = try? Self.open(corrupted) {
                for name in file.names { _ = try? file.floats(name); _ = try? file.int64s(name) }
            }
        }
    }
}
