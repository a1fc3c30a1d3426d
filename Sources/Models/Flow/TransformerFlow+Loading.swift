import Foundation
import TensorEngine

extension TransformerFlow {
    /// Loads config.json + model.safetensors strictly (every tensor present, used and of its shape).
    public static func load(directory: URL) throws -> TransformerFlow {
        let checkpoint = try HuggingFaceCheckpoint(directory: directory)
        let config = try checkpoint.config(FlowConfig.self)
        try checkpoint.requireModelType(config.modelType, oneOf: [FlowConfig.modelTypeName])
        try checkpoint.requireValues(forParameters: config.parameterCount)
        let model = try TransformerFlow(config: config)
        try StateDict.load(model.namedParameters(prefix: ""), from: checkpoint.weights)
        return model
    }

    /// Writes config.json and model.safetensors into `directory` (created if needed).
    public func save(directory: URL) throws {
        try StateDict.savePretrained(config: config, parameters: namedParameters(prefix: ""), to: directory)
    }
}
