import Foundation
import Models

/// The smallest FAE the evaluation and training tests compute with: a one-layer DINOv2 encoder
/// (seed 1) and untrained FAE parts at 64x64 with 16x16 patches, whose 4x4 token grid keeps
/// debug-build steps cheap.
public enum TinyFAE {
    public static func make() throws -> FAEAutoencoder {
        var encoderConfig = Dinov2Config()
        encoderConfig.hiddenSize = 32; encoderConfig.numHiddenLayers = 1; encoderConfig.numAttentionHeads = 2
        encoderConfig.imageSize = SpatialSize(square: 64); encoderConfig.patchSize = SpatialSize(square: 16)
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

    /// Writes the four parts into `directory`'s sub-folders, where `FAEAutoencoder(directory:)` reads them.
    public static func save(to directory: URL) throws {
        let fae = try make()
        try fae.encoder.save(directory: directory.appendingPathComponent(ModelLayout.encoderFolder))
        try fae.faeEncoder.save(directory: directory.appendingPathComponent(ModelLayout.faeEncoderFolder))
        try fae.featureDecoder.save(directory: directory.appendingPathComponent(ModelLayout.featureDecoderFolder))
        try fae.pixelDecoder.save(directory: directory.appendingPathComponent(ModelLayout.pixelDecoderFolder))
    }
}
