import Foundation
import TensorEngine

/// A Hugging Face model directory: `config.json` plus `model.safetensors`, as `save_pretrained`
/// writes them. Opening validates both files; the tensors stay memory-mapped until loaded.
public struct HuggingFaceCheckpoint {
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"

    public let directory: URL
    public let configData: Data
    public let weights: SafetensorsFile

    public init(directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelError(.unreadableCheckpoint, "\(directory.path) is not a model directory")
        }
        let configURL = directory.appendingPathComponent(Self.configFile)
        do {
            configData = try Data(contentsOf: configURL)
        } catch {
            throw ModelError(.unreadableCheckpoint, "cannot read \(configURL.path)", cause: error)
        }
        let weightsURL = directory.appendingPathComponent(Self.weightsFile)
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            throw ModelError(.unreadableCheckpoint, "\(weightsURL.path) does not exist (sharded or .bin checkpoints are not supported)")
        }
        do {
            weights = try SafetensorsFile(url: weightsURL)
        } catch {
            throw ModelError(.unreadableCheckpoint, "\(error)", cause: error)
        }
        self.directory = directory
    }

    /// Decodes config.json, naming the file and the offending key on failure.
    public func config<C: Decodable>(_ type: C.Type) throws -> C {
        do {
            return try JSONDecoder().decode(C.self, from: configData)
        } catch {
            let url = directory.appendingPathComponent(Self.configFile)
            throw ModelError(.unreadableCheckpoint, "invalid \(url.path): \(Self.describe(error))", cause: error)
        }
    }

    /// Rejects a directory holding another architecture before its tensors are compared.
    public func requireModelType(_ modelType: String, oneOf accepted: [String]) throws {
        guard accepted.contains(modelType) else {
            throw ModelError(.unsupportedConfiguration,
                             "\(directory.path)/\(Self.configFile) has model_type '\(modelType)', expected \(accepted.map { "'\($0)'" }.joined(separator: " or "))")
        }
    }

    private static func describe(_ error: Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let c)?, .typeMismatch(_, let c)?, .valueNotFound(_, let c)?:
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + c.debugDescription
        case .keyNotFound(let key, _)?:
            return "missing key \(key.stringValue)"
        default:
            return "\(error)"
        }
    }
}
