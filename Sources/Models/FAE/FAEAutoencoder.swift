import Foundation
import TensorEngine

/// The whole FAE chain at inference: frozen visual encoder -> FAE encoder (posterior mean) ->
/// feature decoder -> pixel decoder. A model folder holds one sub-folder per part:
/// `encoder/` (Hugging Face DINOv2), `fae_encoder/`, `feature_decoder/`, `pixel_decoder/`.
///
/// Images are (B, 3, S, S) in [-1, 1]; latents are (B, N, d) on the 8x8 token grid.
public final class FAEAutoencoder {
    public let encoder: Dinov2Model
    public let faeEncoder: FAEEncoder
    public let featureDecoder: FeatureDecoder
    public let pixelDecoder: PixelDecoder
    private let featuresSlot = TensorSlot()

    public init(encoder: Dinov2Model, faeEncoder: FAEEncoder, featureDecoder: FeatureDecoder, pixelDecoder: PixelDecoder) throws {
        let config = faeEncoder.config
        // The encoder may have been trained at another resolution (a Hugging Face checkpoint):
        // its positions are resized to the FAE's grid, so only width and patch must agree.
        guard encoder.config.hiddenSize == config.encoderWidth, encoder.config.patchSize.height == config.patchSize else {
            throw ModelError(.unsupportedConfiguration,
                             "the visual encoder (width \(encoder.config.hiddenSize), patch \(encoder.config.patchSize.height)) does not match the FAE config (width \(config.encoderWidth), patch \(config.patchSize))")
        }
        for part in [featureDecoder.config, pixelDecoder.config] {
            guard part.sharesFeatureInterface(with: config) else {
                throw ModelError(.unsupportedConfiguration, "the FAE encoder and decoders were saved for different feature widths or token grids")
            }
        }
        guard featureDecoder.config.latentChannels == config.latentChannels else {
            throw ModelError(.unsupportedConfiguration,
                             "the feature decoder reads \(featureDecoder.config.latentChannels) latent channels, the FAE encoder writes \(config.latentChannels)")
        }
        self.encoder = encoder
        self.faeEncoder = faeEncoder
        self.featureDecoder = featureDecoder
        self.pixelDecoder = pixelDecoder
    }

    /// Loads the four parts strictly from `directory`'s sub-folders.
    public convenience init(directory: URL) throws {
        try self.init(encoder: Dinov2Model.load(directory: directory.appendingPathComponent(ModelLayout.encoderFolder)),
                      faeEncoder: FAEEncoder.load(directory: directory.appendingPathComponent(ModelLayout.faeEncoderFolder)),
                      featureDecoder: FeatureDecoder.load(directory: directory.appendingPathComponent(ModelLayout.featureDecoderFolder)),
                      pixelDecoder: PixelDecoder.load(directory: directory.appendingPathComponent(ModelLayout.pixelDecoderFolder)))
    }

    public var config: FAEConfig { faeEncoder.config }

    /// images (B, 3, S, S) -> the encoder's patch tokens (B, N, C) (CLS and registers dropped).
    public func features(_ images: Tensor) throws -> Tensor {
        let hidden = try encoder.forward(images)                              // (B, 1 + R + N, C)
        let out = featuresSlot.tensor(images.dim(0), config.tokens, config.encoderWidth)
        Self.copyPatchTokens(hidden, skip: 1 + encoder.config.numRegisterTokens, into: out)
        return out
    }

    /// Encoder features (B, N, C) -> latents (B, N, d): the posterior mean.
    public func latents(fromFeatures x: Tensor) -> Tensor { faeEncoder.forward(x).mean }

    /// images (B, 3, S, S) -> latents (B, N, d).
    public func latents(_ images: Tensor) throws -> Tensor { latents(fromFeatures: try features(images)) }

    /// latents (B, N, d) -> images (B, 3, S, S) in about [-1, 1].
    public func decode(_ latents: Tensor) -> Tensor { pixelDecoder.forward(featureDecoder.forward(latents)) }

    /// images -> latents -> images.
    public func reconstruct(_ images: Tensor) throws -> Tensor { decode(try latents(images)) }

    /// Copies tokens [skip, skip + N) of every row of `hidden` (B, T, C) into `out` (B, N, C).
    public static func copyPatchTokens(_ hidden: Tensor, skip: Int, into out: Tensor) {
        let b = out.dim(0), n = out.dim(1), c = out.dim(2), t = hidden.dim(1)
        precondition(hidden.dim(0) == b && hidden.dim(2) == c && t == skip + n, "patch tokens: \(hidden.shape) -> \(out.shape)")
        for i in 0..<b { (out.pointer + i * n * c).update(from: hidden.pointer + (i * t + skip) * c, count: n * c) }
    }
}
