import TensorEngine

/// Forward + backward of the two FAE objectives, reusing its gradient buffers across steps (the
/// optimizer step, schedules and data are the caller's). Gradients accumulate into the
/// components' parameters; zero them between optimizer steps.
public final class FAETrainingStep {
    private let dXHatSlot = TensorSlot(), dImageSlot = TensorSlot()

    public init() {}

    /// Encoder + feature decoder on frozen features x (B, N, C): z ~ q(z|x) (seeded eps),
    /// x_hat = D(z), loss mean((x_hat - x)^2) + beta * KL.
    public func feature(encoder: FAEEncoder, decoder: FeatureDecoder, features x: Tensor, beta: Float,
                        rng: inout RandomGenerator) -> (reconstruction: Float, kl: Float) {
        let posterior = encoder.forward(x)                                // (B, N, d) each
        let z = encoder.sample(posterior, rng: &rng)                      // (B, N, d)
        let xHat = decoder.forward(z)                                     // (B, N, C)
        let dXHat = dXHatSlot.tensor(like: xHat)
        dXHat.zero()
        let recon = Ops.mseLoss(pred: xHat, target: x, dPred: dXHat)
        guard let dz = decoder.backward(dXHat) else { preconditionFailure("the feature decoder must return dz to train the encoder") }
        let (dMean, dLogvar) = encoder.sampleBackward(dz)
        let kl = Ops.gaussianKLLoss(mean: posterior.mean, logvar: posterior.logvar, dMean: dMean, dLogvar: dLogvar, dLoss: beta)
        encoder.backward(dMean: dMean, dLogvar: dLogvar)
        return (recon, kl)
    }

    /// Pixel decoder on features (B, N, C) against images (B, 3, H, W) with a weight map
    /// (B, 1, H, W) (see `FAELosses.objectWeights`); returns the weighted loss.
    @discardableResult
    public func pixel(decoder: PixelDecoder, features: Tensor, images: Tensor, weight: Tensor, loss: PixelLossKind) -> Float {
        let y = decoder.forward(features)                                 // (B, 3, H, W)
        let dY = dImageSlot.tensor(y.shape)
        dY.zero()
        let value = FAELosses.pixel(loss, pred: y, target: images, weight: weight, dPred: dY)
        decoder.backward(dY)
        return value
    }
}
