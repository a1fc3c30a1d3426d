import Foundation
import TensorEngine

extension MMDiT {
    /// Every parameter under its checkpoint key (`x_embedder.weight`, `blocks.{i}.image.attn.qkv.weight`, ...).
    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = imageEmbedder.namedParameters(prefix: prefix + "x_embedder.")
        r += textEmbedder.namedParameters(prefix: prefix + "context_embedder.")
        if let textPositionEmbedding { r.append((prefix + Self.textPositionKey, textPositionEmbedding)) }
        r += conditioning.namedParameters(prefix: prefix)
        for (i, block) in blocks.enumerated() { r += block.namedParameters(prefix: prefix + "blocks.\(i).") }
        r += finalModulation.namedParameters(prefix: prefix + "final_layer.adaLN_modulation.")
        r += finalLinear.namedParameters(prefix: prefix + "final_layer.linear.")
        return r
    }

    /// Checkpoint key of the learned text positions (`MMDiTConfig.textPositions`).
    public static let textPositionKey = "context_position_embedding"

    /// Loads config.json + model.safetensors strictly (every tensor present, used and of its shape).
    public static func load(directory: URL) throws -> MMDiT {
        let checkpoint = try HuggingFaceCheckpoint(directory: directory)
        let config = try checkpoint.config(MMDiTConfig.self)
        try checkpoint.requireModelType(config.modelType, oneOf: ["mmdit"])
        let model = try MMDiT(config: config)
        try StateDict.load(model.namedParameters(prefix: ""), from: checkpoint.weights)
        return model
    }

    /// Writes config.json and model.safetensors into `directory` (created if needed).
    public func save(directory: URL) throws {
        try StateDict.savePretrained(config: config, parameters: namedParameters(prefix: ""), to: directory)
    }

    /// Training-from-scratch init (DiT): Xavier-uniform weights and zero biases, timestep MLP
    /// N(0, 0.02), and adaLN-Zero: every modulation Linear is zero, so each block starts as the
    /// identity and the final norm is unmodulated. The final Linear keeps its Xavier init (DiT zeroes
    /// it too; a small random output keeps gradients flowing into the blocks from step one). Text
    /// positions start at zero, so the model starts position-free and learns what order adds.
    public func initialize(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        for (key, p) in namedParameters(prefix: "") {
            if key.hasSuffix(".bias") || key.contains("adaLN_modulation.") || key == Self.textPositionKey { p.value.zero(); continue }
            if key.hasPrefix("t_embedder.") { rng.fillNormal(p.value, std: 0.02); continue }
            let fanOut = Float(p.shape[0]), fanIn = Float(p.shape.count > 1 ? p.shape[1] : 1)
            let bound = (6 / (fanIn + fanOut)).squareRoot()
            rng.fillUniform(p.value, low: -bound, high: bound)
        }
    }
}
