extension Ops {
    // Pixel losses with a per-pixel weight map (e.g. object pixels weighted more than background).
    // pred and target (B, C, H, W); weight (B, 1, H, W), broadcast over channels. The loss is the
    // weighted mean sum(w * e) / sum(w) over all B*C*H*W elements, so its scale does not depend on
    // how many pixels carry a large weight.

    /// Weighted mean squared error; accumulates dLoss * 2 w (pred - target) / sum(w) into `dPred`.
    @discardableResult
    public static func weightedMSELoss(pred: Tensor, target: Tensor, weight: Tensor, dPred: Tensor? = nil, dLoss: Float = 1) -> Float {
        weightedLoss(pred: pred, target: target, weight: weight, dPred: dPred, dLoss: dLoss,
                     value: { $0 * $0 }, derivative: { 2 * $0 })
    }

    /// Weighted mean absolute error; gradient dLoss * w sign(pred - target) / sum(w) (0 at ties).
    @discardableResult
    public static func weightedL1Loss(pred: Tensor, target: Tensor, weight: Tensor, dPred: Tensor? = nil, dLoss: Float = 1) -> Float {
        weightedLoss(pred: pred, target: target, weight: weight, dPred: dPred, dLoss: dLoss,
                     value: { abs($0) }, derivative: { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) })
    }

    @inline(__always)
    private static func weightedLoss(pred: Tensor, target: Tensor, weight: Tensor, dPred: Tensor?, dLoss: Float,
                                     value: (Float) -> Float, derivative: (Float) -> Float) -> Float {
        precondition(pred.rank == 4 && pred.count == target.count, "weighted loss shapes \(pred.shape) vs \(target.shape)")
        let b = pred.dim(0), c = pred.dim(1), hw = pred.dim(2) * pred.dim(3)
        precondition(weight.count == b * hw, "weight map \(weight.shape) for \(pred.shape)")
        let p = pred.pointer, t = target.pointer, w = weight.pointer
        var total = 0.0, weightSum = 0.0
        for i in 0..<(b * hw) { weightSum += Double(w[i]) }
        weightSum *= Double(c)
        guard weightSum > 0 else { return 0 }
        for n in 0..<b {
            for ch in 0..<c {
                let o = (n * c + ch) * hw, wo = n * hw
                for i in 0..<hw { total += Double(w[wo + i] * value(p[o + i] - t[o + i])) }
            }
        }
        if let g = dPred?.pointer {
            let k = dLoss / Float(weightSum)
            for n in 0..<b {
                for ch in 0..<c {
                    let o = (n * c + ch) * hw, wo = n * hw
                    for i in 0..<hw { g[o + i] += k * w[wo + i] * derivative(p[o + i] - t[o + i]) }
                }
            }
        }
        return Float(total / weightSum)
    }
}
