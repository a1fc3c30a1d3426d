import Foundation
import TensorEngine

/// A part of the FAE autoencoder (encoder, feature decoder, pixel decoder) saved as its own folder:
/// `config.json` (the shared `FAEConfig`) plus `model.safetensors` with this part's parameters.
public protocol FAEComponent: Module {
    var config: FAEConfig { get }
    /// A component with freshly initialised (seed 0) weights for `config`.
    init(config: FAEConfig) throws
    /// Reinitialises every parameter deterministically from `seed`.
    func initialize(seed: UInt64)
    /// Values of this part's parameters for `config` (e.g. `FAEConfig.pixelDecoderParameterCount`),
    /// known before the part is built.
    static func parameterCount(_ config: FAEConfig) -> Int
}

extension FAEComponent {
    /// Builds the component from `directory/config.json` and loads `model.safetensors` strictly:
    /// a missing, unused or mis-shaped tensor is an error naming it.
    public static func load(directory: URL) throws -> Self {
        let checkpoint = try HuggingFaceCheckpoint(directory: directory)
        let config = try checkpoint.config(FAEConfig.self)
        try checkpoint.requireModelType(config.modelType, oneOf: ["fae"])
        try checkpoint.requireValues(forParameters: parameterCount(config))
        let model = try Self(config: config)
        try model.load(from: checkpoint.weights)
        return model
    }

    /// Strict load from a safetensors file with this component's keys.
    public func load(from file: SafetensorsFile) throws {
        try StateDict.load(namedParameters(prefix: ""), from: file)
    }

    /// Writes `config.json` and `model.safetensors` into `directory` (created when needed).
    public func save(directory: URL) throws {
        try StateDict.savePretrained(config: config, parameters: namedParameters(prefix: ""), to: directory)
    }
}
