import Foundation
import Models
import TensorEngine
import TestSupport

/// Fixture access and tolerance helpers for the model parity tests.
enum ModelFixtures {
    static func directory(_ folder: String) -> URL {
        TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/\(folder)")
    }

    /// A parity fixture's reference pair: the inputs given to transformers and the outputs it computed.
    static func parityFiles(_ folder: String) throws -> (inputs: SafetensorsFile, outputs: SafetensorsFile) {
        (try file(folder, "inputs.safetensors"), try file(folder, "outputs.safetensors"))
    }

    static func file(_ folder: String, _ name: String) throws -> SafetensorsFile {
        try SafetensorsFile(url: directory(folder).appendingPathComponent(name))
    }

    /// A float tensor of the file, with its stored shape.
    static func tensor(_ file: SafetensorsFile, _ name: String) throws -> Tensor {
        try Tensor(shape: file.info(name).shape, values: file.floats(name))
    }

    static func int32s(_ file: SafetensorsFile, _ name: String) throws -> [Int32] {
        try file.int64s(name).map { Int32($0) }
    }

    /// The relative error used by every parity test: max |a - b| / max(max |b|, floor) over the
    /// whole tensor (b is the reference): scale-aware, not blown up by single near-zero references.
    /// `floor` bounds the denominator from below for references that are zero up to rounding
    /// (e.g. the key-bias gradient, zero by softmax shift invariance, ~1e-8 in torch).
    static func relativeError(_ a: Tensor, _ b: Tensor, floor: Float = 0) -> Float {
        precondition(a.count == b.count, "comparing \(a.shape) with \(b.shape)")
        var maxDiff: Float = 0, maxRef: Float = 0
        let ap = a.pointer, bp = b.pointer
        for i in 0 ..< a.count {
            maxDiff = max(maxDiff, abs(ap[i] - bp[i]))
            maxRef = max(maxRef, abs(bp[i]))
        }
        if !maxDiff.isFinite { return .infinity }
        let denominator = max(maxRef, floor)
        return denominator > 0 ? maxDiff / denominator : maxDiff
    }

    /// Writes a copy of a fixture model folder into a temporary directory, with `edit` applied to
    /// its tensors (name -> (shape, values)), for strict-load error tests.
    static func editedCopy(of folder: String,
                           _ edit: (inout [String: (shape: [Int], values: [Float])]) -> Void) throws -> URL {
        let source = directory(folder)
        let target = try TestPaths.temporaryDirectory("model-\(folder)")
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: target.appendingPathComponent("config.json"))
        let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
        var tensors: [String: (shape: [Int], values: [Float])] = [:]
        for info in file.tensors { tensors[info.name] = (info.shape, try file.floats(info.name)) }
        edit(&tensors)
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        for (name, t) in tensors { try writer.add(name: name, floats: t.values, shape: t.shape) }
        try writer.write(to: target.appendingPathComponent("model.safetensors"))
        return target
    }
}
