import Foundation
import Testing
import Models
import TensorEngine
import TestSupport

/// FAE config decoding, save -> load round trips and strict loading errors.
@Suite struct FAECheckpointTests {
    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func configDecodesSnakeCaseWithDefaults() throws {
        let json = #"{"encoder_width": 384, "encoder_kind": "transformer3", "latent_channels": 8, "pixel_decoder_depth": 3}"#
        let c = try JSONDecoder().decode(FAEConfig.self, from: Data(json.utf8))
        #expect(c.encoderWidth == 384 && c.encoderKind == .transformer3 && c.latentChannels == 8 && c.pixelDecoderDepth == 3)
        #expect(c.encoderHeads == FAEConfig().encoderHeads && c.tokens == 64)
        let encoded = try JSONEncoder().encode(c)
        #expect(String(decoding: encoded, as: UTF8.self).contains("\"feature_decoder_width\""))
        #expect(try JSONDecoder().decode(FAEConfig.self, from: encoded) == c)
        let bad = Self.message { _ = try JSONDecoder().decode(FAEConfig.self, from: Data(#"{"image_size": 60}"#.utf8)) }
        #expect(bad.contains("multiple of patch_size"))
    }

    @Test func saveLoadRoundTripGivesIdenticalOutputs() throws {
        let config = FAETestSupport.tinyConfig()
        let x = FAETestSupport.random([2, config.tokens, config.encoderWidth], seed: 1)
        for kind in FAEEncoderKind.allCases {
            var c = config
            c.encoderKind = kind
            let encoder = try FAEEncoder(config: c)
            encoder.initialize(seed: 2)
            let dir = try TestPaths.temporaryDirectory("fae-encoder")
            try encoder.save(directory: dir)
            let loaded = try FAEEncoder.load(directory: dir)
            #expect(loaded.config == c)
            #expect(loaded.forward(x).mean.values == encoder.forward(x).mean.values)
            #expect(loaded.forward(x).logvar.values == encoder.forward(x).logvar.values)
        }
        let z = FAETestSupport.random([2, config.tokens, config.latentChannels], seed: 3)
        let featureDecoder = try FeatureDecoder(config: config)
        featureDecoder.initialize(seed: 4)
        let fdDir = try TestPaths.temporaryDirectory("fae-feature-decoder")
        try featureDecoder.save(directory: fdDir)
        #expect(try FeatureDecoder.load(directory: fdDir).forward(z).values == featureDecoder.forward(z).values)
        let pixelDecoder = try PixelDecoder(config: config)
        pixelDecoder.initialize(seed: 5)
        let pdDir = try TestPaths.temporaryDirectory("fae-pixel-decoder")
        try pixelDecoder.save(directory: pdDir)
        #expect(try PixelDecoder.load(directory: pdDir).forward(x).values == pixelDecoder.forward(x).values)
    }

    @Test func strictLoadNamesTensors() throws {
        let plain = try FAEEncoder(config: FAETestSupport.tinyConfig())
        let withNorm = try FAEEncoder(config: FAETestSupport.tinyConfig(preNorm: true))
        let plainDir = try TestPaths.temporaryDirectory("fae-plain"), normDir = try TestPaths.temporaryDirectory("fae-norm")
        try plain.save(directory: plainDir)
        try withNorm.save(directory: normDir)
        let plainFile = try SafetensorsFile(url: plainDir.appendingPathComponent("model.safetensors"))
        let normFile = try SafetensorsFile(url: normDir.appendingPathComponent("model.safetensors"))
        #expect(Self.message { try withNorm.load(from: plainFile) }.contains("missing: norm.weight"))
        #expect(Self.message { try plain.load(from: normFile) }.contains("unused: norm.weight"))
        var wider = FAETestSupport.tinyConfig()
        wider.latentChannels = 4
        let misShaped = Self.message { try FAEEncoder(config: wider).load(from: plainFile) }
        #expect(misShaped.contains("mis-shaped:") && misShaped.contains("proj.weight expected [8, 8] got [6, 8]"), "\(misShaped)")
        // A decoder folder is not an encoder: its tensors are named in the error.
        let decoderDir = try TestPaths.temporaryDirectory("fae-decoder")
        try FeatureDecoder(config: FAETestSupport.tinyConfig()).save(directory: decoderDir)
        let wrong = Self.message { _ = try FAEEncoder.load(directory: decoderDir) }
        #expect(wrong.contains("attention.q_proj.weight") && wrong.contains("unused: blocks.0.") && wrong.contains("input_proj.weight"), "\(wrong)")
        #expect(Self.message { _ = try PixelDecoder.load(directory: plainDir.appendingPathComponent("none")) }.contains("not a model directory"))
    }

    @Test func invalidConfigIsAnError() {
        var c = FAETestSupport.tinyConfig()
        c.featureDecoderHeads = 3
        #expect(Self.message { _ = try FeatureDecoder(config: c) }.contains("feature_decoder_width"))
    }
}

/// Repeated steps at one batch shape reuse every output and gradient buffer.
@Suite struct FAEBufferReuseTests {
    @Test func stepsReuseBuffers() throws {
        let config = FAETestSupport.tinyConfig()
        let encoder = try FAEEncoder(config: config), featureDecoder = try FeatureDecoder(config: config)
        let pixelDecoder = try PixelDecoder(config: config)
        let x = FAETestSupport.random([2, config.tokens, config.encoderWidth], seed: 1)
        func run() -> [Tensor] {
            let p = encoder.forward(x)
            var rng = RandomGenerator(seed: 2)
            let z = encoder.sample(p, rng: &rng)
            let xHat = featureDecoder.forward(z)
            let dz = featureDecoder.backward(xHat)!
            let (dMean, dLogvar) = encoder.sampleBackward(dz)
            encoder.backward(dMean: dMean, dLogvar: dLogvar)
            let image = pixelDecoder.forward(xHat)
            pixelDecoder.backward(image)
            return [p.mean, p.logvar, z, xHat, dz, dMean, dLogvar, image]
        }
        let first = run(), second = run()
        for (a, b) in zip(first, second) { #expect(a.sharesBuffer(with: b)) }
    }
}
