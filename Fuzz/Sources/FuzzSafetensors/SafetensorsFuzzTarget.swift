import Foundation
import FuzzSupport
import TensorEngine

/// A `model.safetensors` file: the input is written to disk and opened as the loaders open weights
/// (memory-mapped, header validated), then every tensor is read the ways the models read them.
enum SafetensorsFuzzTarget {
    static let url = FuzzPaths.scratch.appendingPathComponent("model.safetensors")

    static func run(_ data: Data) {
        FuzzPaths.write(data, to: url)
        guard let file = try? SafetensorsFile(url: url) else { return }
        _ = file.metadata
        let shapes = file.shapes
        try? file.checkStateDict(expected: shapes)
        try? file.checkStateDict(expected: ["missing": [1]], ignoringUnused: Set(file.names.dropFirst()))
        for name in file.names {
            guard let info = try? file.info(name) else { continue }
            _ = try? file.floats(name)
            _ = try? file.int64s(name)
            _ = try? file.int32s(name)
            // A buffer of the tensor's own length, and one too short, as a tensor type passes its storage.
            var storage = [Float](repeating: 0, count: info.elementCount)
            storage.withUnsafeMutableBufferPointer { buffer in
                _ = try? file.copyFloats(name, into: buffer)
                if buffer.count > 0 { _ = try? file.copyFloats(name, into: UnsafeMutableBufferPointer(rebasing: buffer.dropLast())) }
            }
            _ = try? file.withUnsafeBytes(name) { bytes in bytes.reduce(0 as UInt8) { $0 &+ $1 } }
        }
    }
}
