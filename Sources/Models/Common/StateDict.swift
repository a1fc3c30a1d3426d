import Foundation
import TensorEngine

/// Strict loading and saving of a model's parameters under their checkpoint keys.
///
/// A model lists `(key, Parameter)` pairs with the exact names of the Hugging Face files; key
/// aliases and ignored entries are data passed in here, not code paths in the models.
public enum StateDict {
    /// Checks names and shapes of every parameter against `file` before reading any data (so one
    /// error lists every problem), then copies the values in, converting F16/BF16 to float32, and
    /// refuses NaN or infinite weights (`ModelError.nonFiniteWeights` naming the tensor).
    /// - `ignoringUnused`: file entries that may be present without being used.
    public static func load(_ parameters: [(String, Parameter)], from file: SafetensorsFile,
                            ignoringUnused: Set<String> = []) throws {
        var expected: [String: [Int]] = [:]
        for (key, p) in parameters { expected[key] = p.shape }
        do {
            try file.checkStateDict(expected: expected, ignoringUnused: ignoringUnused)
        } catch let error as StrictLoadError {
            throw ModelError(.stateDictMismatch, "checkpoint does not match the model: \(error)", cause: error)
        }
        for (key, p) in parameters {
            do {
                try file.copyFiniteFloats(key, into: p.value.buffer)
            } catch let error as SafetensorsError where error.code == .nonFiniteValue {
                throw ModelError(.nonFiniteWeights, "\(error)", cause: error)
            } catch {
                throw ModelError(.stateDictMismatch, "\(error)", cause: error)
            }
        }
    }

    /// Writes every parameter as F32 under its key, with `{"format": "pt"}` metadata (which
    /// transformers requires of a safetensors checkpoint).
    public static func save(_ parameters: [(String, Parameter)], to url: URL) throws {
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        do {
            for (key, p) in parameters { try writer.add(name: key, floats: p.value.values, shape: p.shape) }
            try writer.write(to: url)
        } catch {
            throw ModelError(.cannotSave, "cannot save \(url.path): \(error)", cause: error)
        }
    }

    /// Writes `config` as config.json and the parameters as model.safetensors into `directory`
    /// (created if needed): a folder that both `load(directory:)` and `from_pretrained` read.
    public static func savePretrained<C: Encodable>(config: C, parameters: [(String, Parameter)], to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(config).write(to: directory.appendingPathComponent(ModelLayout.configFile), options: .atomic)
        } catch {
            throw ModelError(.cannotSave, "cannot write \(directory.path): \(error.localizedDescription)", cause: error)
        }
        try save(parameters, to: directory.appendingPathComponent(ModelLayout.weightsFile))
    }
}
