import Foundation
import Testing
import Models
import TestSupport

@Suite struct ConfigDecodingTests {
    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    static func fixture<T: Decodable>(_ type: T.Type, _ folder: String) throws -> T {
        let url = TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/\(folder)/config.json")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    @Test func dinov2FromSavePretrained() throws {
        let config = try Self.fixture(Dinov2Config.self, "dinov2")
        #expect(config.hiddenSize == 32 && config.numHiddenLayers == 2 && config.numAttentionHeads == 2)
        #expect(config.patchSize == SpatialSize(square: 4) && config.imageSize == SpatialSize(square: 16))
        #expect(config.intermediateSize == 64 && config.headDim == 16)
        #expect(config.layerscaleValue == 0.5 && config.layerNormEps == 1e-6 && config.hiddenAct == "gelu")
        #expect(config.qkvBias && !config.useSwigluFFN && config.numRegisterTokens == 0)
        #expect(config.positionGrid == SpatialSize(square: 4))
        let swiglu = try Self.fixture(Dinov2Config.self, "dinov2_swiglu")
        #expect(swiglu.useSwigluFFN && !swiglu.qkvBias && swiglu.swigluHiddenSize == 48)
    }

    @Test func dinov2Defaults() throws {
        let config = try Self.decode(Dinov2Config.self, "{}")
        #expect(config == Dinov2Config())
        #expect(config.hiddenSize == 768 && config.patchSize.height == 14 && config.intermediateSize == 3072)
        let pair = try Self.decode(Dinov2Config.self, #"{"image_size": [224, 112], "patch_size": 14, "mlp_ratio": 4.0}"#)
        #expect(pair.imageSize == SpatialSize(height: 224, width: 112) && pair.positionGrid == SpatialSize(height: 16, width: 8))
        #expect(throws: DecodingError.self) { try Self.decode(Dinov2Config.self, #"{"hidden_size": 10, "num_attention_heads": 3}"#) }
    }

    @Test func t5FromSavePretrained() throws {
        let relu = try Self.fixture(T5Config.self, "t5_relu")
        #expect(relu.dModel == 32 && relu.dKV == 8 && relu.dFF == 64 && relu.numLayers == 2 && relu.numHeads == 4)
        #expect(relu.vocabSize == 64 && relu.relativeAttentionNumBuckets == 32 && relu.relativeAttentionMaxDistance == 20)
        #expect(!relu.isGatedAct && relu.denseActFn == "relu" && relu.layerNormEpsilon == 1e-6)
        let gated = try Self.fixture(T5Config.self, "t5_gated_gelu")
        #expect(gated.isGatedAct && gated.denseActFn == "gelu_new" && gated.innerDim == 32)
    }

    @Test func t5Defaults() throws {
        let config = try Self.decode(T5Config.self, "{}")
        #expect(config == T5Config())
        #expect(config.dModel == 512 && config.relativeAttentionMaxDistance == 128 && config.feedForwardProj == "relu")
        #expect(try Self.decode(T5Config.self, #"{"feed_forward_proj": "gated-silu"}"#).denseActFn == "silu")
        #expect(throws: DecodingError.self) { try Self.decode(T5Config.self, #"{"feed_forward_proj": "gelu-gated"}"#) }
    }

    @Test func encodesWithHuggingFaceKeys() throws {
        let data = try JSONEncoder().encode(T5Config())
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["d_model"] as? Int == 512 && object?["feed_forward_proj"] as? String == "relu")
        let round = try JSONDecoder().decode(Dinov2Config.self, from: JSONEncoder().encode(Dinov2Config()))
        #expect(round == Dinov2Config())
    }
}
