import Foundation
import TensorEngine

extension Dinov2Model {
    /// Every parameter under its checkpoint key (the names on disk, e.g.
    /// `encoder.layer.0.attention.attention.query.weight`, `mlp.weights_in.weight` for SwiGLU).
    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = embeddings.namedParameters(prefix: prefix + "embeddings.")
        for (i, layer) in layers.enumerated() { r += Self.checkpointParameters(of: layer, prefix: prefix + "encoder.layer.\(i).", config: config) }
        r += layerNorm.namedParameters(prefix: prefix + "layernorm.")
        return r
    }

    /// One block's parameters under checkpoint keys: SwiGLU gate and up are stored stacked as one
    /// `mlp.weights_in` tensor (the engine's packed projection), and without `qkv_bias` the zero
    /// q/k/v biases are not part of the checkpoint.
    public static func checkpointParameters(of layer: TransformerBlock, prefix: String, config: Dinov2Config) -> [(String, Parameter)] {
        var r = layer.namedParameters(prefix: prefix)
        if !config.qkvBias {
            let biases = ["query", "key", "value"].map { prefix + "attention.attention.\($0).bias" }
            r.removeAll { biases.contains($0.0) }
        }
        if let gated = layer.feedForward as? GatedFeedForward {
            r.removeAll { $0.0.hasPrefix(prefix + "mlp.weights_in.") }
            r += gated.packed.namedParameters(prefix: prefix + "mlp.weights_in.")
        }
        return r
    }

    /// Loads a Hugging Face `Dinov2Model` directory (config.json + model.safetensors) strictly:
    /// every parameter must be present with its shape, and no other tensor may be (except
    /// `embeddings.mask_token`, which inference never reads). F16/BF16 weights convert to float32.
    public static func load(directory: URL) throws -> Dinov2Model {
        let checkpoint = try HuggingFaceCheckpoint(directory: directory)
        let config = try checkpoint.config(Dinov2Config.self)
        try checkpoint.requireModelType(config.modelType, oneOf: ["dinov2", "dinov2_with_registers"])
        // The mask token may be absent from the file.
        try checkpoint.requireValues(forParameters: config.parameterCount - (config.hasMaskToken ? config.hiddenSize : 0))
        let model = try Dinov2Model(config: config)
        try model.load(from: checkpoint.weights)
        return model
    }

    /// Loads weights strictly from a safetensors file with checkpoint keys.
    public func load(from file: SafetensorsFile) throws {
        var parameters = namedParameters(prefix: "")
        // The mask token is optional on disk: loaded (and shape-checked) when present.
        if !file.contains("embeddings.mask_token") { parameters.removeAll { $0.0 == "embeddings.mask_token" } }
        try StateDict.load(parameters, from: file, ignoringUnused: ["embeddings.mask_token"])
    }

    /// Writes config.json and model.safetensors with the checkpoint keys, readable by `load` and by
    /// transformers' `Dinov2Model.from_pretrained`.
    public func save(directory: URL) throws {
        try StateDict.savePretrained(config: config, parameters: namedParameters(prefix: ""), to: directory)
    }

    /// Transformers-style initialisation for training from scratch: truncated normal (std
    /// `initializerRange`) for linear and conv weights, zero biases, positions and CLS likewise,
    /// LayerNorm weights 1, LayerScale `layerscale_value`.
    public func initialize(seed: UInt64, initializerRange: Float = 0.02) {
        var rng = RandomGenerator(seed: seed)
        for (key, p) in namedParameters(prefix: "") {
            if key.hasSuffix("lambda1") {
                p.value.fill(Float(config.layerscaleValue))
            } else if key.hasPrefix("layernorm.") || key.contains(".norm1.") || key.contains(".norm2.") {
                p.value.fill(key.hasSuffix("weight") ? 1 : 0)
            } else if key.hasSuffix(".bias") || key.hasSuffix("mask_token") || key.hasSuffix("register_tokens") {
                p.value.zero()
            } else {
                rng.fillTruncatedNormal(p.value, std: initializerRange)
            }
        }
    }
}
