import Foundation
import Models
import Sampler
import TensorEngine
import TestSupport
import TextToImage
import Tokenizer

/// A tiny random but complete model folder (docs/model-layout.md) in a temporary directory: DINOv2
/// width 32 / 1 layer / patch 8 / image 64, a small FAE over it (d = 4), a 1-layer T5 with the vocabulary
/// of models/default/spiece.model, an MMDiT of width 32 and depth 1, latent statistics and
/// generation.json. Every weight is random (the adaLN-Zero modulations too), so text, time and
/// seeds all change the output.
enum TinyModelFolder {
    static let maxTextTokens = 12
    static let latentChannels = 4

    static var tokenizerURL: URL { TestPaths.repositoryRoot.appendingPathComponent("models/default/spiece.model") }

    static func faeConfig() -> FAEConfig {
        var c = FAEConfig()
        c.encoderWidth = 32; c.encoderHeads = 2; c.encoderHeadDim = 16
        c.latentChannels = latentChannels
        c.featureDecoderWidth = 32; c.featureDecoderDepth = 1; c.featureDecoderHeads = 2
        c.pixelDecoderWidth = 32; c.pixelDecoderDepth = 1; c.pixelDecoderHeads = 2; c.pixelDecoderMapChannels = 4
        c.mlpRatio = 2; c.patchSize = 8; c.imageSize = 64
        return c
    }

    /// Writes the folder and returns its URL.
    /// With `family: .flow` the generator is a random normalizing flow (width 32, a one-layer
    /// deep block and one one-layer shallow block, every output projection random).
    static func make(target: GenerationSettings.Target = .latent, family: GeneratorFamily = .diffusion, seed: UInt64 = 1) throws -> URL {
        let folder = try TestPaths.temporaryDirectory("tiny-model")
        func sub(_ name: String) -> URL { folder.appendingPathComponent(name, isDirectory: true) }
        try FileManager.default.copyItem(at: tokenizerURL, to: folder.appendingPathComponent(ModelLayout.tokenizerFile))
        let tokenizer = try SentencePieceTokenizer(modelFile: tokenizerURL)

        var dino = Dinov2Config()
        dino.hiddenSize = 32; dino.numHiddenLayers = 1; dino.numAttentionHeads = 2
        dino.imageSize = SpatialSize(square: 64); dino.patchSize = SpatialSize(square: 8)
        let encoder = try Dinov2Model(config: dino)
        encoder.initialize(seed: seed)
        try encoder.save(directory: sub(ModelLayout.encoderFolder))

        let fae = faeConfig()
        let faeEncoder = try FAEEncoder(config: fae)
        faeEncoder.initialize(seed: seed + 1)
        try faeEncoder.save(directory: sub(ModelLayout.faeEncoderFolder))
        let featureDecoder = try FeatureDecoder(config: fae)
        featureDecoder.initialize(seed: seed + 2)
        try featureDecoder.save(directory: sub(ModelLayout.featureDecoderFolder))
        let pixelDecoder = try PixelDecoder(config: fae)
        pixelDecoder.initialize(seed: seed + 3)
        try pixelDecoder.save(directory: sub(ModelLayout.pixelDecoderFolder))

        var t5 = T5Config()
        t5.vocabSize = tokenizer.vocabularySize; t5.dModel = 32; t5.dKV = 16; t5.dFF = 64; t5.numLayers = 1; t5.numHeads = 2
        t5.relativeAttentionNumBuckets = 8; t5.relativeAttentionMaxDistance = 16
        let textEncoder = try T5Encoder(config: t5)
        textEncoder.initialize(seed: seed + 4)
        try textEncoder.save(directory: sub(ModelLayout.textEncoderFolder))

        let channels: Int
        switch target {
        case .latent: channels = latentChannels
        case .features: channels = fae.encoderWidth
        case .pixels: channels = 3 * 8 * 8
        }
        let generatorURL = sub(ModelLayout.generatorFolder)
        var rng = RandomGenerator(seed: seed + 6)
        switch family {
        case .diffusion:
            let generator = try MMDiT(config: MMDiTConfig(width: 32, depth: 1, heads: 2, latentChannels: channels, gridHeight: 8, gridWidth: 8,
                                                          textWidth: 32, maxTextTokens: maxTextTokens, mlpRatio: 2, timestepEmbeddingDim: 32))
            generator.initialize(seed: seed + 5)
            for (key, p) in generator.namedParameters(prefix: "") where key.contains("adaLN_modulation") { rng.fillNormal(p.value, std: 0.1) }
            try generator.save(directory: generatorURL)
        case .flow:
            let flow = try TransformerFlow(config: FlowConfig(latentChannels: channels, width: 32, heads: 2, deepLayers: 1, shallowBlocks: 1,
                                                              shallowLayers: 1, textWidth: 32, maxTextTokens: maxTextTokens))
            flow.initialize(&rng)
            for block in flow.blocks { rng.fillNormal(block.output.weight.value, std: 0.05) }
            try flow.save(directory: generatorURL)
        }
        try LatentStatistics(mean: (0..<channels).map { Float($0 % 5) * 0.1 - 0.2 },
                             std: (0..<channels).map { 0.5 + Float($0 % 3) * 0.25 }).save(directory: generatorURL)
        try GenerationSettings(target: target, maxTextTokens: maxTextTokens, shift: 1.5).save(directory: generatorURL)
        return folder
    }
}
