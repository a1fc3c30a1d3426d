import Models
import Sampler
import TensorEngine

/// Images into what a generator learns to produce (`GeneratorTarget`), the inverse of
/// `TargetDecoder`: the trainer's targets and `eval flow`'s held-out targets come from here.
extension FAEAutoencoder {
    /// Values per image token of `target`.
    public func channels(of target: GeneratorTarget) -> Int {
        switch target {
        case .latent: return config.latentChannels
        case .features: return config.encoderWidth
        case .pixels: return config.imageChannels * config.patchSize * config.patchSize
        }
    }

    /// images (B, 3, S, S) in [-1, 1] -> targets written into `out` (B, N, channels(of: target)):
    /// the FAE posterior mean, the encoder's patch tokens, or the 8x8x3 patches laid out
    /// (channel, row, column) as `Ops.unpatchifyForward` reads them back.
    public func encode(_ images: Tensor, as target: GeneratorTarget, into out: Tensor) throws {
        precondition(out.count == images.dim(0) * config.tokens * channels(of: target), "target buffer \(out.shape) for \(images.shape)")
        switch target {
        case .latent: out.copy(from: try latents(images))
        case .features: out.copy(from: try features(images))
        case .pixels:
            Ops.unpatchifyBackward(dMap: images, channels: config.imageChannels, patch: config.patchSize,
                                   gridHeight: config.gridSize, gridWidth: config.gridSize, dTokens: out)
        }
    }
}
