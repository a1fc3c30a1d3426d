import Foundation
import Testing
import Models
import TensorEngine

/// Every model config refuses, while decoding and before anything is allocated, sizes beyond
/// `ConfigLimits`, non-finite or non-positive numbers and products that overflow, with one
/// `ModelError` naming the key, the value and the limit.
@Suite struct ConfigValidationTests {
    /// Decodes a config.json holding only `overrides` (the rest defaults); returns its ModelError.
    static func refusal<C: Decodable>(_ type: C.Type, _ overrides: String) -> ModelError? {
        do {
            _ = try JSONDecoder().decode(C.self, from: Data("{\(overrides)}".utf8))
            return nil
        } catch let error as ModelError {
            return error
        } catch {
            Issue.record("expected a ModelError, got \(error)")
            return nil
        }
    }

    static func expectRefusal<C: Decodable>(_ type: C.Type, _ overrides: String, _ expected: String,
                                            sourceLocation: SourceLocation = #_sourceLocation) {
        let error = refusal(type, overrides)
        #expect(error?.code == .unsupportedConfiguration, "\(overrides)", sourceLocation: sourceLocation)
        #expect(error?.message.contains(expected) == true, "\(overrides): \(error?.message ?? "accepted")", sourceLocation: sourceLocation)
    }

    @Test func generatorConfigLimits() {
        let cases: [(String, String)] = [
            (#""grid_height": 3000000000, "grid_width": 3000000000"#, "grid_height = 3000000000 exceeds the limit 4096"),
            (#""grid_height": 4096, "grid_width": 4096"#, "grid_height * grid_width = 16777216 exceeds the limit 16384"),
            (#""width": 1000000000"#, "width = 1000000000 exceeds the limit 16384"),
            (#""width": 0"#, "width = 0 is below the minimum 1"),
            (#""depth": 1000"#, "depth = 1000 exceeds the limit 256"),
            (#""depth": -1"#, "depth = -1 is below the minimum 1"),
            (#""heads": 3"#, "width = 128 must be a multiple of heads = 3"),
            (#""latent_channels": 100000"#, "latent_channels = 100000 exceeds the limit 4096"),
            (#""timestep_embedding_dim": 1000000000"#, "timestep_embedding_dim = 1000000000 exceeds the limit 16384"),
            (#""timestep_embedding_dim": 7"#, "timestep_embedding_dim = 7 must be even"),
            (#""mlp_ratio": 1e12"#, "mlp_ratio = 1000000000000.0 exceeds the limit 64.0"),
            (#""mlp_ratio": 1e300"#, "mlp_ratio = 1e+300 exceeds the limit 64.0"),
            (#""mlp_ratio": 0"#, "mlp_ratio = 0.0 must be above 0.0"),
            (#""mlp_ratio": 0.001"#, "mlp_ratio * width = 0 is below the minimum 1"),
            (#""norm_epsilon": -1"#, "norm_epsilon = -1.0 must be at least 1e-12"),
            (#""norm_epsilon": 10"#, "norm_epsilon = 10.0 exceeds the limit 1.0"),
            (#""rope_theta": 0"#, "rope_theta = 0.0 must be at least 1.0"),
            (#""rope_theta": 1e300"#, "rope_theta = 1e+300 exceeds the limit 1000000000000.0"),
            (#""timestep_scale": -3"#, "timestep_scale = -3.0 must be above 0.0"),
            (#""max_text_tokens": 100000"#, "max_text_tokens = 100000 exceeds the limit 4096"),
            (#""grid_height": 128, "grid_width": 120, "max_text_tokens": 2000"#, "grid_height * grid_width + max_text_tokens = 17360 exceeds the limit 16384"),
            (#""patch_size": 2"#, "patch_size = 2 exceeds the limit 1"),
            (#""width": 16384, "heads": 128, "mlp_ratio": 1"#, "generator"),
        ]
        for (json, expected) in cases { Self.expectRefusal(MMDiTConfig.self, json, expected) }
        let memory = Self.refusal(MMDiTConfig.self, #""width": 16384, "heads": 128, "mlp_ratio": 1"#)?.message ?? ""
        #expect(memory.contains("width = 16384, depth = 4") && memory.contains("exceeds the limit 4 GiB"), "\(memory)")
        #expect(Self.refusal(MMDiTConfig.self, "") == nil)
    }

    @Test func textEncoderConfigLimits() {
        let cases: [(String, String)] = [
            (#""d_model": 1000000000"#, "d_model = 1000000000 exceeds the limit 16384"),
            (#""d_ff": 1000000000"#, "d_ff = 1000000000 exceeds the limit 16384"),
            (#""d_kv": 0"#, "d_kv = 0 is below the minimum 1"),
            (#""vocab_size": 1000000000"#, "vocab_size = 1000000000 exceeds the limit 1048576"),
            (#""num_layers": 1000"#, "num_layers = 1000 exceeds the limit 256"),
            (#""num_heads": 1024, "d_kv": 1024"#, "num_heads * d_kv = 1048576 exceeds the limit 16384"),
            (#""relative_attention_num_buckets": 1"#, "relative_attention_num_buckets = 1 is below the minimum 2"),
            (#""relative_attention_max_distance": 4"#, "relative_attention_max_distance = 4 is below the minimum 9"),
            (#""layer_norm_epsilon": 0"#, "layer_norm_epsilon = 0.0 must be at least 1e-12"),
            (#""dropout_rate": 2"#, "dropout_rate = 2.0 exceeds the limit 1.0"),
            (#""vocab_size": 1000000, "d_model": 16384"#, "text encoder"),
        ]
        for (json, expected) in cases { Self.expectRefusal(T5Config.self, json, expected) }
        #expect(Self.refusal(T5Config.self, "") == nil)
    }

    @Test func encoderConfigLimits() {
        let cases: [(String, String)] = [
            (#""hidden_size": 1200000000"#, "hidden_size = 1200000000 exceeds the limit 16384"),
            (#""num_hidden_layers": 1000"#, "num_hidden_layers = 1000 exceeds the limit 256"),
            (#""mlp_ratio": 1e300"#, "mlp_ratio = 1e+300 exceeds the limit 64.0"),
            (#""mlp_ratio": -4"#, "mlp_ratio = -4.0 must be above 0.0"),
            (#""image_size": 1000000"#, "image_size (height) = 1000000 exceeds the limit 8192"),
            (#""image_size": [224, 0]"#, "image_size (width) = 0 is below the minimum 1"),
            (#""patch_size": 0"#, "patch_size (height) = 0 is below the minimum 1"),
            (#""patch_size": 300"#, "patch_size (height) = 300 exceeds the limit 224"),
            (#""patch_size": [14, 7]"#, "must be square"),
            (#""image_size": 8192, "patch_size": 2"#, "(image_size / patch_size) (height) * (image_size / patch_size) (width) = 16777216 exceeds the limit 16384"),
            (#""layer_norm_eps": -1"#, "layer_norm_eps = -1.0 must be at least 1e-12"),
            (#""layerscale_value": 1e300"#, "layerscale_value = 1e+300 exceeds the limit 1000000.0"),
            (#""num_channels": 0"#, "num_channels = 0 is below the minimum 1"),
            (#""num_register_tokens": -1"#, "num_register_tokens = -1 is below the minimum 0"),
            (#""hidden_size": 12288, "num_hidden_layers": 40, "mlp_ratio": 1"#, "encoder"),
        ]
        for (json, expected) in cases { Self.expectRefusal(Dinov2Config.self, json, expected) }
        #expect(Self.refusal(Dinov2Config.self, "") == nil)
    }

    @Test func autoencoderConfigLimits() {
        let cases: [(String, String)] = [
            (#""image_size": 1000000"#, "image_size = 1000000 exceeds the limit 8192"),
            (#""image_size": 1024, "patch_size": 4"#, "(image_size / patch_size) * (image_size / patch_size) = 65536 exceeds the limit 16384"),
            (#""patch_size": 0"#, "patch_size = 0 is below the minimum 1"),
            (#""encoder_width": 1000000000"#, "encoder_width = 1000000000 exceeds the limit 16384"),
            (#""encoder_heads": 1024, "encoder_head_dim": 1024"#, "encoder_heads * encoder_head_dim = 1048576 exceeds the limit 16384"),
            (#""latent_channels": 0"#, "latent_channels = 0 is below the minimum 1"),
            (#""feature_decoder_depth": 1000"#, "feature_decoder_depth = 1000 exceeds the limit 256"),
            (#""pixel_decoder_depth": -1"#, "pixel_decoder_depth = -1 is below the minimum 0"),
            (#""pixel_decoder_width": 1000000000"#, "pixel_decoder_width = 1000000000 exceeds the limit 16384"),
            (#""pixel_decoder_map_channels": 4096"#, "pixel_decoder_map_channels * patch_size * patch_size = 262144 exceeds the limit 16384"),
            (#""mlp_ratio": 1000000"#, "mlp_ratio = 1000000 exceeds the limit 64"),
            (#""norm_eps": -1"#, "norm_eps = -1.0 must be at least 1e-12"),
            (#""rope_theta": 0"#, "rope_theta = 0.0 must be at least 1.0"),
            (#""pixel_decoder_width": 8192, "pixel_decoder_heads": 8, "pixel_decoder_depth": 8, "mlp_ratio": 1"#, "pixel decoder"),
        ]
        for (json, expected) in cases { Self.expectRefusal(FAEConfig.self, json, expected) }
        #expect(Self.refusal(FAEConfig.self, "") == nil)
    }

    /// Configs built in code (training options) meet the same checks in the model initialisers,
    /// including numbers JSON cannot spell (NaN).
    @Test func modelInitialisersValidateCodeBuiltConfigs() {
        var mmdit = MMDiTConfig()
        mmdit.normEpsilon = .nan
        #expect(Self.message { _ = try MMDiT(config: mmdit) }.contains("norm_epsilon = nan is not a finite number"))
        mmdit = MMDiTConfig(mlpRatio: .infinity)
        #expect(Self.message { _ = try MMDiT(config: mmdit) }.contains("mlp_ratio = inf is not a finite number"))
        var t5 = T5Config()
        t5.layerNormEpsilon = -.infinity
        #expect(Self.message { _ = try T5Encoder(config: t5) }.contains("layer_norm_epsilon = -inf is not a finite number"))
        var dino = Dinov2Config()
        dino.mlpRatio = .nan
        #expect(Self.message { _ = try Dinov2Model(config: dino) }.contains("mlp_ratio = nan is not a finite number"))
        var fae = FAEConfig()
        fae.ropeTheta = .nan
        #expect(Self.message { _ = try FeatureDecoder(config: fae) }.contains("rope_theta = nan is not a finite number"))
        #expect(fae.problem?.contains("rope_theta") == true)
    }

    /// The rotary table refuses a grid whose token count overflows and a theta that makes NaN
    /// angles, whatever the caller validated (release builds of TensorEngine drop overflow traps).
    @Test func ropeTableRefusesOverflowAndBadTheta() {
        #expect(throws: TensorEngineError.self) { _ = try RoPETable(gridHeight: 3_000_000_000, gridWidth: 3_000_000_000, headDim: 8) }
        #expect(throws: TensorEngineError.self) { _ = try RoPETable(tokens: Int.max / 2, headDim: 8) }
        #expect(throws: TensorEngineError.self) { _ = try RoPETable(gridHeight: 2, gridWidth: 2, headDim: 8, theta: 0) }
        #expect(throws: TensorEngineError.self) { _ = try RoPETable(tokens: 4, headDim: 8, theta: -.nan) }
    }

    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }
}
