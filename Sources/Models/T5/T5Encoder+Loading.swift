import Foundation
import TensorEngine

extension T5Encoder {
    /// Every parameter under its checkpoint key (`shared.weight`, `encoder.block.{i}.layer...`).
    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = [(prefix + "shared.weight", embedding)]
        for (i, block) in blocks.enumerated() {
            let blockPrefix = prefix + "encoder.block.\(i)."
            r += block.namedParameters(prefix: blockPrefix)
            if i == 0 { r += relativeBias.namedParameters(prefix: blockPrefix + "layer.0.SelfAttention.relative_attention_bias.") }
        }
        r += finalNorm.namedParameters(prefix: prefix + "encoder.final_layer_norm.")
        return r
    }

    /// Loads a Hugging Face T5 directory (config.json + model.safetensors) strictly. The token
    /// embedding may be stored as `shared.weight` or `encoder.embed_tokens.weight` (if both, the
    /// first is used); `decoder.*` and `lm_head.*` of full encoder-decoder checkpoints are ignored,
    /// as `T5EncoderModel` does. F16/BF16 weights convert to float32.
    public static func load(directory: URL) throws -> T5Encoder {
        let checkpoint = try HuggingFaceCheckpoint(directory: directory)
        let config = try checkpoint.config(T5Config.self)
        try checkpoint.requireModelType(config.modelType, oneOf: ["t5", "mt5"])
        try checkpoint.requireValues(forParameters: config.parameterCount)
        let model = try T5Encoder(config: config)
        try model.load(from: checkpoint.weights)
        return model
    }

    /// Loads weights strictly from a safetensors file with checkpoint keys.
    public func load(from file: SafetensorsFile) throws {
        var parameters = namedParameters(prefix: "")
        var ignored = Set(file.names.filter { $0.hasPrefix("decoder.") || $0.hasPrefix("lm_head.") })
        let alias = "encoder.embed_tokens.weight"
        if file.contains("shared.weight") {
            ignored.insert(alias)
        } else if file.contains(alias) {
            parameters = parameters.map { $0.0 == "shared.weight" ? (alias, $0.1) : $0 }
        }
        try StateDict.load(parameters, from: file, ignoringUnused: ignored)
    }

    /// Writes config.json and model.safetensors (`shared.weight` only, as transformers 5 saves a
    /// `T5EncoderModel`), readable by `load` and by `T5EncoderModel.from_pretrained`.
    public func save(directory: URL) throws {
        try StateDict.savePretrained(config: config, parameters: namedParameters(prefix: ""), to: directory)
    }

    /// T5's initialisation for training from scratch (transformers `_init_weights` with factor 1):
    /// embedding N(0, 1); q N(0, (D d_kv)^-1/2); k, v N(0, D^-1/2); o N(0, (H d_kv)^-1/2); wi* N(0, D^-1/2);
    /// wo N(0, d_ff^-1/2); relative bias N(0, D^-1/2); norms 1.
    public func initialize(seed: UInt64) {
        var rng = RandomGenerator(seed: seed)
        let d = Float(config.dModel), dkv = Float(config.dKV), inner = Float(config.innerDim), ff = Float(config.dFF)
        for (key, p) in namedParameters(prefix: "") {
            let std: Float
            if key.hasSuffix("layer_norm.weight") { p.value.fill(1); continue }
            else if key == "shared.weight" { std = 1 }
            else if key.hasSuffix("SelfAttention.q.weight") { std = 1 / (d * dkv).squareRoot() }
            else if key.hasSuffix("SelfAttention.o.weight") { std = 1 / inner.squareRoot() }
            else if key.hasSuffix("DenseReluDense.wo.weight") { std = 1 / ff.squareRoot() }
            else { std = 1 / d.squareRoot() }
            rng.fillNormal(p.value, std: std)
        }
    }
}
