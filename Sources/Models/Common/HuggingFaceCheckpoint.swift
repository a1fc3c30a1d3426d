import Foundation
import TensorEngine

/// A Hugging Face model directory: `config.json` plus `model.safetensors`, as `save_pretrained`
/// writes them. Opening validates both files; the tensors stay memory-mapped until loaded.
public struct HuggingFaceCheckpoint {
    public let directory: URL
    public let configData: Data
    public let weights: SafetensorsFile

    public init(directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelError(.unreadableCheckpoint, "\(directory.path) is not a model directory")
        }
        let configURL = directory.appendingPathComponent(ModelLayout.configFile)
        do {
            configData = try Data(contentsOf: configURL)
        } catch {
            throw ModelError(.unreadableCheckpoint, "cannot read \(configURL.path)", cause: error)
        }
        let weightsURL = directory.appendingPathComponent(ModelLayout.weightsFile)
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

    /// Decodes config.json, naming the file and the offending key on failure. The model configs
    /// validate their values while decoding (`ConfigValidation`), so a size out of range fails
    /// here, e.g. `.../generator/config.json: grid_height = 3000000000 exceeds the limit 4096`.
    public func config<C: Decodable>(_ type: C.Type) throws -> C {
        let url = directory.appendingPathComponent(ModelLayout.configFile)
        do {
            return try JSONDecoder().decode(C.self, from: configData)
        } catch let error as ModelError {
            throw ModelError(error.code, "\(url.path): \(error.message)", cause: error)
        } catch {
            throw ModelError(.unreadableCheckpoint, "invalid \(url.path): \(Self.describe(error))", cause: error)
        }
    }

    /// Refuses weights holding fewer values than the model config.json describes when that model
    /// would take more than `ConfigLimits.eagerModelBytes` to build: a config edited to a larger
    /// size (e.g. depth 1000) then fails at once instead of after gigabytes of parameters exist.
    /// A smaller model is built and compared tensor by tensor, which names every missing tensor.
    /// `parameters` counts the values the file must hold.
    public func requireValues(forParameters parameters: Int) throws {
        let (bytes, overflow) = parameters.multipliedReportingOverflow(by: 8)
        guard overflow || bytes > ConfigLimits.eagerModelBytes else { return }
        var held = 0
        for tensor in weights.tensors {
            // Element counts come from a validated header, each backed by bytes of the file.
            let (sum, overflow) = held.addingReportingOverflow(tensor.elementCount)
            held = overflow ? .max : sum
        }
        guard held < parameters else { return }
        throw ModelError(.stateDictMismatch,
                         "\(directory.appendingPathComponent(ModelLayout.configFile).path) describes a model of \(parameters) parameters, "
                         + "but \(weights.url.path) holds only \(held) values")
    }

    /// Rejects a directory holding another architecture before its tensors are compared.
    public func requireModelType(_ modelType: String, oneOf accepted: [String]) throws {
        guard accepted.contains(modelType) else {
            throw ModelError(.unsupportedConfiguration,
                             "\(directory.path)/\(ModelLayout.configFile) has model_type '\(modelType)', expected \(accepted.map { "'\($0)'" }.joined(separator: " or "))")
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
