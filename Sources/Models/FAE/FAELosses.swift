import TensorEngine

/// The FAE training objectives. Each returns its value and accumulates gradients into the given
/// buffers (so callers zero them, or start from a sampling backward that overwrote them).
public enum FAELosses {
    /// Feature objective mean((x_hat - x)^2) + beta * KL(q(z|x) || N(0, I)), the KL averaged per
    /// latent element. Gradients: dXHat += d recon; dMean, dLogvar += beta * d KL.
    public static func feature(xHat: Tensor, target: Tensor, posterior: FAEPosterior, beta: Float,
                               dXHat: Tensor?, dMean: Tensor?, dLogvar: Tensor?) -> (reconstruction: Float, kl: Float) {
        let recon = Ops.mseLoss(pred: xHat, target: target, dPred: dXHat)
        let kl = Ops.gaussianKLLoss(mean: posterior.mean, logvar: posterior.logvar, dMean: dMean, dLogvar: dLogvar, dLoss: beta)
        return (recon, kl)
    }

    /// Weighted pixel loss over images (B, C, H, W) with a weight map (B, 1, H, W); see
    /// `Ops.weightedMSELoss` for the normalisation. Accumulates into `dPred` when given.
    @discardableResult
    public static func pixel(_ kind: PixelLossKind, pred: Tensor, target: Tensor, weight: Tensor, dPred: Tensor?) -> Float {
        switch kind {
        case .l1: return Ops.weightedL1Loss(pred: pred, target: target, weight: weight, dPred: dPred)
        case .mse: return Ops.weightedMSELoss(pred: pred, target: target, weight: weight, dPred: dPred)
        }
    }

    /// Object-pixel weights for shapes-world images (B, C, H, W) into `weight` (B, 1, H, W):
    /// `objectWeight` where a pixel differs from the image's background by more than `tolerance`
    /// in any channel, else 1. The background is the top-left pixel: no shapes-world object reaches
    /// the corner (the nearest cell centre is 11 px away and objects are at most 18 px wide).
    public static func objectWeights(images: Tensor, objectWeight: Float = 4, tolerance: Float = 1e-3, into weight: Tensor) {
        precondition(images.rank == 4 && weight.count == images.dim(0) * images.dim(2) * images.dim(3), "object weight shapes")
        let b = images.dim(0), c = images.dim(1), hw = images.dim(2) * images.dim(3)
        let src = images.pointer, dst = weight.pointer
        for n in 0..<b {
            for i in 0..<hw {
                var object = false
                for ch in 0..<c {
                    let plane = src + (n * c + ch) * hw
                    if abs(plane[i] - plane[0]) > tolerance { object = true; break }
                }
                dst[n * hw + i] = object ? objectWeight : 1
            }
        }
    }
}
