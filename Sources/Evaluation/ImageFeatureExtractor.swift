import ImageCodec
import Models
import TensorEngine

/// FD features: the frozen visual encoder's patch tokens (CLS and registers dropped), mean-pooled
/// to one C-wide vector per image. Patch tokens are what the FAE and the generator model; the CLS
/// token of a small self-supervised encoder carries less of the scene layout.
public final class ImageFeatureExtractor {
    public let encoder: Dinov2Model
    private let pixelSlot = TensorSlot()

    public init(encoder: Dinov2Model) {
        self.encoder = encoder
    }

    public var width: Int { encoder.config.hiddenSize }

    /// One feature vector per image; the images must be the encoder's input size.
    public func features(_ images: [RGBImage]) throws -> [[Double]] {
        guard let first = images.first else { return [] }
        let side = first.width
        let pixels = pixelSlot.tensor(images.count, 3, side, side)
        try PixelNormalization.planes(of: images, into: pixels.buffer)
        let hidden = try encoder.forward(pixels)                              // (B, 1 + R + N, C)
        let t = hidden.dim(1), c = hidden.dim(2), skip = 1 + encoder.config.numRegisterTokens
        let n = Double(t - skip)
        return (0..<images.count).map { b in
            var mean = [Double](repeating: 0, count: c)
            for token in skip..<t {
                let row = hidden.pointer + (b * t + token) * c
                for i in 0..<c { mean[i] += Double(row[i]) }
            }
            return mean.map { $0 / n }
        }
    }
}
