import Foundation
import Models
import TensorEngine

/// The self-supervised objective of `train encoder`: masked image modelling on the DINOv2
/// architecture (SimMIM-style). A random `maskRatio` of the patches is replaced by the mask token;
/// a linear head reads every output patch token and predicts that patch's pixels. The loss is the
/// MSE over masked patches plus `visibleWeight` times the MSE over visible ones.
///
/// Why this objective (on 2 CPU cores): it needs one encoder pass per step and no teacher (DINO /
/// iBOT need two views and an EMA teacher); the masked term makes tokens carry context (the shape
/// an object has beyond one patch), and the visible term keeps each token's own pixels linearly
/// readable, which the pixel decoder needs for sharp reconstructions.
public final class MaskedImageModeling {
    public let encoder: Dinov2Model
    /// output token (C) -> the patch's pixels (3 * p * p), channel-major.
    public let head: Linear
    public var maskRatio: Double
    public var visibleWeight: Float

    private let patch: Int, grid: Int
    private var mask: [UInt8]
    private var order: [Int]
    private let tokensSlot = TensorSlot(), targetSlot = TensorSlot(), dPredSlot = TensorSlot(), dHiddenSlot = TensorSlot()

    public init(encoder: Dinov2Model, maskRatio: Double, visibleWeight: Float) throws {
        guard encoder.embeddings.maskToken != nil else {
            throw TrainingError(.invalidArgument, "masked image modelling needs an encoder config with use_mask_token = true")
        }
        guard maskRatio >= 0, maskRatio < 1 else { throw TrainingError(.invalidArgument, "--mask-ratio must be in [0, 1), got \(maskRatio)") }
        self.encoder = encoder
        self.maskRatio = maskRatio
        self.visibleWeight = visibleWeight
        patch = encoder.config.patchSize.height
        grid = encoder.config.imageSize.height / patch
        head = Linear(encoder.config.hiddenSize, encoder.config.numChannels * patch * patch)
        mask = []
        order = Array(0..<(grid * grid))
    }

    public var namedParameters: [(String, Parameter)] {
        encoder.namedParameters(prefix: "encoder.") + head.namedParameters(prefix: "head.")
    }

    public func initialize(seed: UInt64) {
        encoder.initialize(seed: seed)
        var rng = RandomGenerator(seed: seed &+ 1)
        head.initialize(&rng)
    }

    /// Draws a mask with exactly round(maskRatio * P) masked patches per image.
    func drawMask(batch: Int, rng: inout RandomGenerator) {
        let p = grid * grid, masked = Int((maskRatio * Double(p)).rounded())
        if mask.count != batch * p { mask = Array(repeating: 0, count: batch * p) }
        for b in 0..<batch {
            for i in 0..<p { order[i] = i }
            for i in 0..<masked {                            // partial Fisher-Yates
                let j = i + Int(rng.nextUInt64() % UInt64(p - i))
                order.swapAt(i, j)
            }
            for i in 0..<p { mask[b * p + i] = 0 }
            for i in 0..<masked { mask[b * p + order[i]] = 1 }
        }
    }

    /// One forward + backward on images (B, 3, S, S); returns (loss, masked MSE, visible MSE).
    /// With `train` false nothing is accumulated (validation).
    @discardableResult
    public func step(images: Tensor, rng: inout RandomGenerator, train: Bool = true) throws -> (loss: Float, masked: Float, visible: Float) {
        let b = images.dim(0), p = grid * grid, c = encoder.config.hiddenSize
        let values = head.outFeatures
        drawMask(batch: b, rng: &rng)
        encoder.embeddings.maskedPatches = maskRatio > 0 ? mask : nil
        defer { encoder.embeddings.maskedPatches = nil }
        let hidden = try encoder.forward(images)                               // (B, 1 + R + P, C)
        let skip = 1 + encoder.config.numRegisterTokens
        let tokens = tokensSlot.tensor(b, p, c)                                // (B, P, C)
        FAEAutoencoder.copyPatchTokens(hidden, skip: skip, into: tokens)
        let pred = head.forward(tokens)                                        // (B, P, 3 p p)
        let target = targetSlot.tensor(b, p, values)
        Ops.unpatchifyBackward(dMap: images, channels: images.dim(1), patch: patch, gridHeight: grid, gridWidth: grid, dTokens: target)
        let dPred = dPredSlot.tensor(b, p, values)
        let maskedCount = mask.prefix(b * p).reduce(0) { $0 + Int($1) }
        let visibleCount = b * p - (maskRatio > 0 ? maskedCount : 0)
        let isMasked: (Int) -> Bool = { [mask, maskRatio] in maskRatio > 0 && mask[$0] != 0 }
        // Each group's MSE is averaged over its own elements, so the weights do not depend on the ratio.
        let maskedScale = maskedCount > 0 && maskRatio > 0 ? 1 / Float(maskedCount * values) : 0
        let visibleScale = visibleCount > 0 ? visibleWeight / Float(visibleCount * values) : 0
        var maskedSum = 0.0, visibleSum = 0.0
        let pp = pred.pointer, tp = target.pointer, dp = dPred.pointer
        for row in 0..<(b * p) {
            let scale = isMasked(row) ? maskedScale : visibleScale
            var sum: Float = 0
            for k in 0..<values {
                let diff = pp[row * values + k] - tp[row * values + k]
                sum += diff * diff
                dp[row * values + k] = 2 * scale * diff
            }
            if isMasked(row) { maskedSum += Double(sum) } else { visibleSum += Double(sum) }
        }
        let maskedMSE = maskedCount > 0 && maskRatio > 0 ? Float(maskedSum / Double(maskedCount * values)) : 0
        let visibleMSE = visibleCount > 0 ? Float(visibleSum / Double(visibleCount * values)) : 0
        let loss = (maskRatio > 0 ? maskedMSE : 0) + visibleWeight * visibleMSE
        guard train else { return (loss, maskedMSE, visibleMSE) }
        guard let dTokens = head.backward(dPred) else { preconditionFailure("the head must return d tokens") }
        let dHidden = dHiddenSlot.tensor(hidden.shape)
        dHidden.zero()
        for i in 0..<b {
            (dHidden.pointer + (i * hidden.dim(1) + skip) * c).update(from: dTokens.pointer + i * p * c, count: p * c)
        }
        encoder.backward(dHidden)
        return (loss, maskedMSE, visibleMSE)
    }
}
