import Foundation
import FuzzSupport
import Models
import Sampler
import TensorEngine
import TextToImage
import Tokenizer

/// A complete tiny model folder (docs/model-layout.md): every part a few thousand weights wide, the
/// repository's tokenizer, latent statistics and generation.json, so that a fuzzed config that
/// matches its part's weights loads all the way, into the pipeline too.
enum TinyModel {
    static let folder = FuzzPaths.scratch.appendingPathComponent("model", isDirectory: true)

    /// Every file the fuzz target overwrites, with its generated contents (paths relative to `folder`).
    static let pristine: [String: Data] = FuzzSetup.require("build the tiny model folder") {
        try make()
        var files: [String: Data] = [:]
        for path in ModelPart.allCases.map({ "\($0.folder)/\(ModelLayout.configFile)" }) + settingsFiles {
            files[path] = try Data(contentsOf: folder.appendingPathComponent(path))
        }
        return files
    }

    static let settingsFiles = [
        "\(ModelLayout.generatorFolder)/\(ModelLayout.generationSettingsFile)",
        "\(ModelLayout.generatorFolder)/\(ModelLayout.latentStatisticsFile)",
    ]

    static func url(_ path: String) -> URL { folder.appendingPathComponent(path) }

    private static func make() throws {
        func part(_ name: String) -> URL { folder.appendingPathComponent(name, isDirectory: true) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let tokenizerURL = FuzzPaths.repository("models/default/\(ModelLayout.tokenizerFile)")
        try FileManager.default.copyItem(at: tokenizerURL, to: folder.appendingPathComponent(ModelLayout.tokenizerFile))
        let vocabulary = try SentencePieceTokenizer(modelFile: tokenizerURL).vocabularySize

        var dino = Dinov2Config()
        dino.hiddenSize = 16; dino.numHiddenLayers = 1; dino.numAttentionHeads = 2
        dino.imageSize = SpatialSize(square: 64); dino.patchSize = SpatialSize(square: 8)
        try Dinov2Model(config: dino).save(directory: part(ModelPart.encoder.folder))

        var fae = FAEConfig()
        fae.encoderWidth = 16; fae.encoderHeads = 2; fae.encoderHeadDim = 8; fae.latentChannels = 4
        fae.featureDecoderWidth = 16; fae.featureDecoderDepth = 1; fae.featureDecoderHeads = 2
        fae.pixelDecoderWidth = 16; fae.pixelDecoderDepth = 1; fae.pixelDecoderHeads = 2; fae.pixelDecoderMapChannels = 4
        fae.mlpRatio = 2; fae.patchSize = 8; fae.imageSize = 64
        try FAEEncoder(config: fae).save(directory: part(ModelPart.faeEncoder.folder))
        try FeatureDecoder(config: fae).save(directory: part(ModelPart.featureDecoder.folder))
        try PixelDecoder(config: fae).save(directory: part(ModelPart.pixelDecoder.folder))

        var t5 = T5Config()
        t5.vocabSize = vocabulary; t5.dModel = 16; t5.dKV = 8; t5.dFF = 32; t5.numLayers = 1; t5.numHeads = 2
        t5.relativeAttentionNumBuckets = 8; t5.relativeAttentionMaxDistance = 16
        try T5Encoder(config: t5).save(directory: part(ModelPart.textEncoder.folder))

        let generator = part(ModelPart.generator.folder)
        try MMDiT(config: MMDiTConfig(width: 16, depth: 1, heads: 2, latentChannels: fae.latentChannels, gridHeight: 8, gridWidth: 8,
                                      textWidth: t5.dModel, maxTextTokens: 8, mlpRatio: 2, timestepEmbeddingDim: 16))
            .save(directory: generator)
        try LatentStatistics(mean: [0, 0.1, -0.1, 0.2], std: [1, 0.5, 2, 1]).save(directory: generator)
        try GenerationSettings(target: .latent, maxTextTokens: 8, shift: 1.5).save(directory: generator)
    }
}
