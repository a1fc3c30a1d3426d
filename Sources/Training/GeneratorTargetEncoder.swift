import Dataset
import Foundation
import Models
import Sampler
import TensorEngine
import TextToImage

/// Turns images into what the generator learns to produce (`GeneratorTarget`), with the frozen FAE
/// parts: `latent` = FAE posterior mean (B, N, d), `features` = the encoder's patch tokens
/// (B, N, C), `pixels` = 8x8x3 patches per token (B, N, 3 p p), laid out (channel, row, column)
/// as `Ops.unpatchifyForward` reads them back.
public struct GeneratorTargetEncoder {
    public let fae: FAEAutoencoder
    public let target: GeneratorTarget

    public init(fae: FAEAutoencoder, target: GeneratorTarget) {
        self.fae = fae
        self.target = target
    }

    /// Image tokens per sample (the FAE grid).
    public var tokens: Int { fae.config.tokens }
    public var gridSize: Int { fae.config.gridSize }

    /// Values per token.
    public var channels: Int { fae.channels(of: target) }

    /// images (B, 3, S, S) in [-1, 1] -> targets written into `out` (B, N, channels).
    public func encode(_ images: Tensor, into out: Tensor) throws {
        try fae.encode(images, as: target, into: out)
    }

    /// The targets of `dataset`'s images at `indices`, (indices.count, N, channels), encoded in
    /// batches of `batchSize`; `progress(done, total)` after each batch.
    public func encodeAll(_ dataset: ImageDataset, indices: [Int], batchSize: Int = 64, threads: Int,
                          progress: (Int, Int) -> Void = { _, _ in }) throws -> Tensor {
        let c = fae.config
        guard dataset.imageSize == c.imageSize else {
            throw TrainingError(.invalidData, "\(dataset.url.path) holds \(dataset.imageSize)x\(dataset.imageSize) images, the FAE needs \(c.imageSize)x\(c.imageSize)")
        }
        let all = Tensor(zeros: [indices.count, tokens, channels])
        let images = Tensor(zeros: [batchSize, c.imageChannels, c.imageSize, c.imageSize])
        var start = 0
        while start < indices.count {
            let end = min(start + batchSize, indices.count)
            let batch = images.slice(first: 0 ..< (end - start))
            try dataset.loadImages(indices: Array(indices[start ..< end]), into: batch.buffer, threads: threads)
            try encode(batch, into: all.slice(first: start ..< end))
            start = end
            progress(end, indices.count)
        }
        return all
    }

    /// The targets of every image of a feature cache of the same dataset, without running the
    /// visual encoder again: the latents are the FAE encoder's posterior mean of the cached
    /// features, the features are the cache itself. Nil for `pixels` (not made from features).
    public func encodeAll(features cache: FeatureCache, batchSize: Int = 256) throws -> Tensor? {
        let c = fae.config
        guard cache.header.tokens == tokens, cache.header.width == c.encoderWidth else {
            throw TrainingError(.invalidData, "the feature cache holds (\(cache.header.tokens), \(cache.header.width)) per image, the FAE reads (\(tokens), \(c.encoderWidth))")
        }
        guard target != .pixels else { return nil }
        let all = Tensor(zeros: [cache.count, tokens, channels])
        let features = Tensor(zeros: [batchSize, tokens, c.encoderWidth])      // (B, N, C)
        var start = 0
        while start < cache.count {
            let end = min(start + batchSize, cache.count)
            let batch = features.slice(first: 0 ..< (end - start))
            cache.gather(Array(start ..< end), into: batch)
            let out = all.slice(first: start ..< end)
            switch target {
            case .latent: out.copy(from: fae.latents(fromFeatures: batch))
            case .features: out.copy(from: batch)
            case .pixels: preconditionFailure("pixels are not made from features")
            }
            start = end
        }
        return all
    }
}
