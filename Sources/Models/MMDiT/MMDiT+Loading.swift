import Foundation
import TensorEngine

extension MMDiT {
    /// Every parameter under its checkpoint key (`x_embedder.weight`, `blocks.{i}.image.attn.qkv.weight`, ...).
    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = imageEmbedder.namedParameters(prefix: prefix + "x_embedder.")
        r += textEmbedder.namedParameters(prefix: prefix + "context_embedder.")
        if let textPositionEmbedding { r.append((prefix + Self.textPositionKey, textPositionEmbedding)) }
        r += conditioning.namedParameters(prefix: prefix)
        r += blocks.namedParameters(prefix: prefix + "blocks.")
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
        try checkpoint.requireValues(forParameters: config.parameterCount)
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
    /// identity and the final norm is unmodulated. The final Linear keeps its Xavier init here, so a
    /// model made for tests and benchmarks has a non-zero output; `train generator` zeroes it, as DiT
    /// does, so the untrained generator predicts v = 0. Text positions start as the Transformer's
    /// sinusoids, about as large as the embedded tokens: a zero start learns too slowly to matter
    /// (rms 0.015 after 1000 steps, docs/experiments.md).
    public func initialize(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        for (key, p) in namedParameters(prefix: "") {
            if key == Self.textPositionKey { Self.fillSinusoidal(p.value); continue }
            if key.hasSuffix(".bias") || key.contains("adaLN_modulation.") { p.value.zero(); continue }
            if key.hasPrefix("t_embedder.") { rng.fillNormal(p.value, std: 0.02); continue }
            let fanOut = Float(p.shape[0]), fanIn = Float(p.shape.count > 1 ? p.shape[1] : 1)
            let bound = (6 / (fanIn + fanOut)).squareRoot()
            rng.fillUniform(p.value, low: -bound, high: bound)
        }
    }

    /// positions (T, W): [t, 2i] = sin(t / 10000^(2i / W)), [t, 2i + 1] = cos(t / 10000^(2i / W)).
    static func fillSinusoidal(_ positions: Tensor) {
        let t = positions.dim(0), w = positions.dim(1), p = positions.pointer
        for position in 0..<t {
            for i in stride(from: 0, to: w, by: 2) {
                let angle = Double(position) / Foundation.pow(10000, Double(i) / Double(w))
                p[position * w + i] = Float(Foundation.sin(angle))
                if i + 1 < w { p[position * w + i + 1] = Float(Foundation.cos(angle)) }
            }
        }
    }
}
