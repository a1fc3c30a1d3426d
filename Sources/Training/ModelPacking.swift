import Foundation
import TensorEngine

/// Copies trained parts into a model folder (e.g. `models/default/`), storing float weights as
/// F16 to halve the size (loading converts them back to float32). Other files (config.json,
/// statistics, generation settings) are copied as they are.
public enum ModelPacking {
    /// Copies `parts` (sub-folder names) from `source` into `destination`, replacing existing ones,
    /// and returns the bytes written.
    @discardableResult
    public static func pack(from source: URL, to destination: URL, parts: [String], precision: SafetensorsDType) throws -> Int {
        guard precision == .f16 || precision == .f32 || precision == .bf16 else {
            throw TrainingError(.invalidArgument, "weights can be packed as F32, F16 or BF16, not \(precision)")
        }
        let fm = FileManager.default
        var written = 0
        for part in parts {
            let from = source.appendingPathComponent(part), to = destination.appendingPathComponent(part)
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: from.path, isDirectory: &isDirectory) else {
                throw TrainingError(.missingInput, "\(from.path) does not exist (train that stage first)")
            }
            do {
                if !isDirectory.boolValue {
                    try? fm.removeItem(at: to)
                    try fm.createDirectory(at: destination, withIntermediateDirectories: true)
                    try fm.copyItem(at: from, to: to)
                    written += (try fm.attributesOfItem(atPath: to.path)[.size] as? NSNumber)?.intValue ?? 0
                    continue
                }
                let staging = destination.appendingPathComponent(".\(part).partial")
                try? fm.removeItem(at: staging)
                try fm.createDirectory(at: staging, withIntermediateDirectories: true)
                for name in try fm.contentsOfDirectory(atPath: from.path).sorted() {
                    let file = from.appendingPathComponent(name), target = staging.appendingPathComponent(name)
                    if name.hasSuffix(".safetensors") {
                        try convert(file, to: target, precision: precision)
                    } else {
                        try fm.copyItem(at: file, to: target)
                    }
                    written += (try fm.attributesOfItem(atPath: target.path)[.size] as? NSNumber)?.intValue ?? 0
                }
                try? fm.removeItem(at: to)
                try fm.moveItem(at: staging, to: to)
            } catch let error as TrainingError {
                throw error
            } catch {
                throw TrainingError(.cannotWrite, "cannot pack \(from.path) into \(to.path): \(error)", cause: error)
            }
        }
        return written
    }

    /// Rewrites every floating-point tensor of a safetensors file in `precision`.
    static func convert(_ source: URL, to target: URL, precision: SafetensorsDType) throws {
        let file = try SafetensorsFile(url: source)
        var writer = SafetensorsWriter(metadata: file.metadata ?? ["format": "pt"])
        for (name, shape) in file.shapes.sorted(by: { $0.key < $1.key }) {
            try writer.add(name: name, floats: try file.floats(name), shape: shape, as: precision)
        }
        try writer.write(to: target)
    }
}
