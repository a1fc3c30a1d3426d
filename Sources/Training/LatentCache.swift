import Foundation
import Models
import Sampler
import TensorEngine

/// Precomputed generator targets kept in the run folder (`targets-<target>.bin` for the training
/// split, `targets-<target>-val.bin` for validation), so `--resume` does not encode the dataset
/// again. The file is one JSON header line `{"key": ..., "shape": [...]}` followed by the raw
/// float32 values (native byte order); a file whose key or shape differs is ignored and rewritten.
/// The key names everything the targets depend on (FAE weights, dataset, target kind).
public struct LatentCache {
    public let url: URL
    public let key: String

    public init(directory: URL, target: GeneratorTarget, validation: Bool, key: String) {
        url = directory.appendingPathComponent("targets-\(target.rawValue)\(validation ? "-val" : "").bin")
        self.key = key
    }

    struct Header: Codable, Equatable {
        var key: String
        var shape: [Int]
    }

    /// The cached targets of `shape`, or nil when there is no usable cache.
    public func load(shape: [Int]) -> Tensor? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4096), let newline = head.firstIndex(of: 0x0A),
              let header = try? JSONDecoder().decode(Header.self, from: head[head.startIndex ..< newline]),
              header == Header(key: key, shape: shape) else { return nil }
        let tensor = Tensor(zeros: shape)
        let bytes = UnsafeMutableRawBufferPointer(tensor.buffer)
        do {
            try handle.seek(toOffset: UInt64(newline - head.startIndex + 1))
            var filled = 0
            while filled < bytes.count {
                guard let chunk = try handle.read(upToCount: min(1 << 26, bytes.count - filled)), !chunk.isEmpty else { return nil }
                chunk.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: bytes[filled ..< filled + chunk.count]))
                filled += chunk.count
            }
        } catch {
            return nil
        }
        return tensor
    }

    /// Writes `targets` (to a temporary file renamed into place).
    public func save(_ targets: Tensor) throws {
        let partial = url.appendingPathExtension("partial")
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            var data = try JSONEncoder().encode(Header(key: key, shape: targets.shape))
            data.append(0x0A)
            try data.write(to: partial)
            let handle = try FileHandle(forWritingTo: partial)
            defer { try? handle.close() }
            try handle.seekToEnd()
            let raw = UnsafeRawBufferPointer(targets.buffer)
            var written = 0
            while written < raw.count {
                let end = min(written + (1 << 26), raw.count)
                try handle.write(contentsOf: Data(raw[written ..< end]))
                written = end
            }
            try? FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: partial, to: url)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw TrainingError(.cannotWrite, "cannot write the target cache \(url.path): \(error.localizedDescription)", cause: error)
        }
    }

    /// A key for the FAE weights that `target` is computed with: the content hash of each such
    /// part's model.safetensors (a new pixel decoder does not make latent targets stale; a copied
    /// model folder keeps its key).
    public static func fingerprint(faeDirectory: URL, target: GeneratorTarget) -> String {
        let parts: [String]
        switch target {
        case .latent: parts = [ModelLayout.encoderFolder, ModelLayout.faeEncoderFolder]
        case .features: parts = [ModelLayout.encoderFolder]
        case .pixels: parts = []
        }
        return parts.map { part -> String in
            "\(part):" + WeightsFingerprint.of(ModelLayout.weights(of: part, in: faeDirectory))
        }.joined(separator: "|")
    }
}
