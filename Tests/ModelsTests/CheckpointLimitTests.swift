import Foundation
import Testing
import Models
import TensorEngine
import TestSupport

/// Loading refuses, before building the model, a config.json out of range (naming the file) or
/// larger than its weights, and after reading them, NaN or infinite weights (naming the tensor).
/// The parameter counts the checks rely on match the built models exactly.
@Suite struct CheckpointLimitTests {
    static func values(_ model: Module) -> Int { model.namedParameters(prefix: "").reduce(0) { $0 + $1.1.value.count } }

    static func error(_ body: () throws -> Void) -> ModelError? {
        do { try body(); return nil } catch let error as ModelError { return error } catch {
            Issue.record("expected a ModelError, got \(error)")
            return nil
        }
    }

    @Test func parameterCountsMatchTheModels() throws {
        for depth in [1, 3] {
            for positions in [false, true] {
                var c = MMDiTFixture.config
                c.depth = depth; c.textPositions = positions; c.mlpRatio = 2.3
                #expect(c.parameterCount == Self.values(try MMDiT(config: c)), "MMDiT depth \(depth) positions \(positions)")
            }
        }
        for (proj, layers) in [("relu", 0), ("gated-gelu", 2)] {
            var c = T5Config()
            c.vocabSize = 50; c.dModel = 16; c.dKV = 4; c.numHeads = 3; c.dFF = 24; c.numLayers = layers
            c.relativeAttentionNumBuckets = 8; c.relativeAttentionMaxDistance = 16; c.feedForwardProj = proj
            #expect(c.parameterCount == Self.values(try T5Encoder(config: c)), "T5 \(proj) \(layers)")
        }
        for variant in 0..<4 {
            var c = Dinov2Config()
            c.hiddenSize = 16; c.numAttentionHeads = 2; c.numHiddenLayers = 2
            c.imageSize = SpatialSize(height: 16, width: 8); c.patchSize = SpatialSize(square: 4)
            switch variant {
            case 1: c.useSwigluFFN = true; c.qkvBias = false
            case 2: c.numRegisterTokens = 2; c.modelType = "dinov2_with_registers"; c.useMaskToken = false
            case 3: c.useMaskToken = false; c.numHiddenLayers = 0; c.mlpRatio = 2.5
            default: break
            }
            #expect(c.parameterCount == Self.values(try Dinov2Model(config: c)), "DINOv2 variant \(variant)")
        }
        for kind in FAEEncoderKind.allCases {
            for preNorm in [false, true] {
                let c = FAETestSupport.tinyConfig(kind: kind, preNorm: preNorm)
                #expect(c.encoderParameterCount == Self.values(try FAEEncoder(config: c)), "FAE encoder \(kind) \(preNorm)")
            }
        }
        var fae = FAETestSupport.tinyConfig()
        fae.featureDecoderDepth = 2; fae.pixelDecoderDepth = 0
        for c in [FAETestSupport.tinyConfig(), fae, FAEConfig()] {
            #expect(c.featureDecoderParameterCount == Self.values(try FeatureDecoder(config: c)))
            #expect(c.pixelDecoderParameterCount == Self.values(try PixelDecoder(config: c)))
        }
    }

    @Test func configOutOfRangeNamesTheFile() throws {
        let dir = try TestPaths.temporaryDirectory("generator-limits")
        let model = try MMDiT(config: MMDiTFixture.config)
        try model.save(directory: dir)
        try CheckpointEditing.setConfig(dir, "grid_height", 3_000_000_000)
        let error = try #require(Self.error { _ = try MMDiT.load(directory: dir) })
        #expect(error.code == .unsupportedConfiguration)
        #expect(error.message == "\(dir.path)/config.json: grid_height = 3000000000 exceeds the limit 4096", "\(error.message)")
        #expect(error.cause is ModelError)
    }

    /// A config edited to a large size the weights do not have fails before the model is
    /// allocated (depth 200 of this width would take about 3.4 GB with gradients).
    @Test func configLargerThanItsWeightsFailsBeforeAllocating() throws {
        let dir = try TestPaths.temporaryDirectory("generator-depth")
        var c = MMDiTFixture.config
        c.width = 256; c.heads = 4; c.depth = 1
        try MMDiT(config: c).save(directory: dir)
        try CheckpointEditing.setConfig(dir, "depth", 200)
        let error = try #require(Self.error { _ = try MMDiT.load(directory: dir) })
        #expect(error.code == .stateDictMismatch)
        c.depth = 200
        #expect(error.message.contains("config.json describes a model of \(c.parameterCount) parameters, but"), "\(error.message)")
        #expect(error.message.contains("model.safetensors holds only"))

        let fae = try TestPaths.temporaryDirectory("pixel-decoder-depth")
        try PixelDecoder(config: FAETestSupport.tinyConfig()).save(directory: fae)
        for (key, value) in [("pixel_decoder_width", 1024), ("pixel_decoder_heads", 8), ("pixel_decoder_depth", 8)] {
            try CheckpointEditing.setConfig(fae, key, value)
        }
        let faeError = Self.error { _ = try PixelDecoder.load(directory: fae) }
        #expect(faeError?.code == .stateDictMismatch && faeError?.message.contains("describes a model of") == true, "\(faeError?.message ?? "")")
    }

    /// A small model is built first, so the strict check names what is missing.
    @Test func smallMismatchStillNamesTheTensors() throws {
        let dir = try TestPaths.temporaryDirectory("pixel-decoder-small")
        try PixelDecoder(config: FAETestSupport.tinyConfig()).save(directory: dir)
        try CheckpointEditing.setConfig(dir, "pixel_decoder_depth", 3)
        let error = Self.error { _ = try PixelDecoder.load(directory: dir) }
        #expect(error?.code == .stateDictMismatch && error?.message.contains("missing: blocks.1.") == true, "\(error?.message ?? "")")
    }

    @Test func nonFiniteWeightsAreRefusedNamingTheTensor() throws {
        let generator = try TestPaths.temporaryDirectory("nan-generator")
        try MMDiT(config: MMDiTFixture.config).save(directory: generator)
        try CheckpointEditing.poison(generator, tensor: "blocks.1.image.attn.qkv.weight", index: 5)
        let error = try #require(Self.error { _ = try MMDiT.load(directory: generator) })
        #expect(error.code == .nonFiniteWeights)
        #expect(error.message.contains("tensor 'blocks.1.image.attn.qkv.weight'") && error.message.contains("NaN or infinite"), "\(error.message)")
        #expect(error.message.contains("flat index 5"))

        let decoder = try TestPaths.temporaryDirectory("inf-pixel-decoder")
        try PixelDecoder(config: FAETestSupport.tinyConfig()).save(directory: decoder)
        try CheckpointEditing.poison(decoder, tensor: "conv2.bias", value: .infinity)
        let decoderError = try #require(Self.error { _ = try PixelDecoder.load(directory: decoder) })
        #expect(decoderError.code == .nonFiniteWeights && decoderError.message.contains("'conv2.bias'"))
    }
}
