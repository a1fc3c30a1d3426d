import Dataset
import Foundation
import Models
import ShapesWorld
import TestSupport

/// The committed grammar, held-out scene datasets and a tiny untrained FAE: enough for every
/// evaluation figure to be computed in a debug build.
enum EvaluationFixtures {
    static let grammar: ShapesGrammar = {
        do { return try ShapesGrammar.load(from: TestPaths.repositoryRoot.appendingPathComponent("prompts")) } catch {
            fatalError("cannot load the grammar: \(error)")
        }
    }()

    /// (train, eval) datasets of generated scenes in a fresh folder.
    static func datasets(train: Int, eval: Int) throws -> (root: URL, train: URL, eval: URL) {
        let root = try TestPaths.temporaryDirectory("evaluation")
        var generator = DatasetGenerator(grammar: grammar)
        generator.threads = 1
        try generator.generate(count: train, seed: 1, split: .train, into: root.appendingPathComponent("train"))
        try generator.generate(count: eval, seed: 1, split: .eval, into: root.appendingPathComponent("eval"))
        return (root, root.appendingPathComponent("train"), root.appendingPathComponent("eval"))
    }

    /// A one-layer encoder and FAE at 64x64 with 16x16 patches (a 4x4 token grid keeps it cheap).
    static func tinyAutoencoder() throws -> FAEAutoencoder {
        var encoderConfig = Dinov2Config()
        encoderConfig.hiddenSize = 32
        encoderConfig.numHiddenLayers = 1
        encoderConfig.numAttentionHeads = 2
        encoderConfig.imageSize = SpatialSize(square: 64)
        encoderConfig.patchSize = SpatialSize(square: 16)
        let encoder = try Dinov2Model(config: encoderConfig)
        encoder.initialize(seed: 1)
        var config = FAEConfig()
        config.encoderWidth = 32; config.encoderHeads = 2; config.encoderHeadDim = 16
        config.latentChannels = 4
        config.featureDecoderWidth = 16; config.featureDecoderDepth = 1; config.featureDecoderHeads = 2
        config.pixelDecoderWidth = 16; config.pixelDecoderDepth = 1; config.pixelDecoderHeads = 2
        config.pixelDecoderMapChannels = 4
        config.patchSize = 16
        return try FAEAutoencoder(encoder: encoder, faeEncoder: FAEEncoder(config: config), featureDecoder: FeatureDecoder(config: config),
                                  pixelDecoder: PixelDecoder(config: config))
    }
}
