import Foundation
import Models
import Sampler
import TensorEngine

/// Turns the generator's output (B, 64, c) into images (B, 3, 64, 64) in about [-1, 1], by what
/// `generation.json`'s `target` says the generator produces:
///
/// - `latent`: FAE latents (B, 64, d) -> feature decoder -> pixel decoder.
/// - `features`: encoder features (B, 64, C) -> pixel decoder.
/// - `pixels`: one 8x8x3 patch per token (B, 64, 192) -> unpatchified. Token (gy, gx) is token
///   gy * 8 + gx (row-major grid); within a token, value c * 64 + py * 8 + px is channel c at
///   pixel (8 gy + py, 8 gx + px) (channel-major, as `Ops.unpatchifyForward` and PyTorch's
///   unpatchify lay it out). The trainer builds its targets with the same layout.
public final class TargetDecoder {
    public static let imageSide = 64
    public static let patch = 8
    public static let grid = 8

    public let target: GenerationSettings.Target
    public let featureDecoder: FeatureDecoder?
    public let pixelDecoder: PixelDecoder?
    private let imageSlot = TensorSlot()

    /// Checks that the decoders `target` needs are there and fit each other.
    public init(target: GenerationSettings.Target, featureDecoder: FeatureDecoder?, pixelDecoder: PixelDecoder?) throws {
        switch target {
        case .latent:
            guard let featureDecoder, let pixelDecoder else {
                throw TextToImageError(.invalidModel, "target 'latent' needs the feature decoder and the pixel decoder")
            }
            guard featureDecoder.config.sharesFeatureInterface(with: pixelDecoder.config) else {
                throw TextToImageError(.invalidModel, "the feature decoder and the pixel decoder were saved for different feature widths or token grids")
            }
        case .features:
            guard pixelDecoder != nil else { throw TextToImageError(.invalidModel, "target 'features' needs the pixel decoder") }
        case .pixels:
            break
        }
        if let config = pixelDecoder?.config, target != .pixels {
            guard config.imageSize == Self.imageSide, config.imageChannels == 3 else {
                throw TextToImageError(.invalidModel, "the pixel decoder makes \(config.imageSize)-pixel \(config.imageChannels)-channel images; need 64-pixel RGB")
            }
        }
        self.target = target
        self.featureDecoder = target == .latent ? featureDecoder : nil
        self.pixelDecoder = target == .pixels ? nil : pixelDecoder
    }

    /// Image tokens and channels per token that the decoder reads (what the generator must produce).
    public var inputShape: (tokens: Int, channels: Int) {
        switch target {
        case .latent: return (featureDecoder!.config.tokens, featureDecoder!.config.latentChannels)
        case .features: return (pixelDecoder!.config.tokens, pixelDecoder!.config.encoderWidth)
        case .pixels: return (Self.grid * Self.grid, 3 * Self.patch * Self.patch)
        }
    }

    /// x (B, N, c) -> images (B, 3, 64, 64), in a buffer owned by a decoder (reused by its next call).
    public func decode(_ x: Tensor) throws -> Tensor {
        let (tokens, channels) = inputShape
        guard x.rank == 3, x.dim(1) == tokens, x.dim(2) == channels else {
            throw TextToImageError(.invalidInput, "the \(target.rawValue) decoder reads (B, \(tokens), \(channels)), got \(x.shape)")
        }
        switch target {
        case .latent: return pixelDecoder!.forward(featureDecoder!.forward(x))
        case .features: return pixelDecoder!.forward(x)
        case .pixels:
            let image = imageSlot.tensor(x.dim(0), 3, Self.imageSide, Self.imageSide)
            Ops.unpatchifyForward(x, channels: 3, patch: Self.patch, gridHeight: Self.grid, gridWidth: Self.grid, map: image)
            return image
        }
    }
}
