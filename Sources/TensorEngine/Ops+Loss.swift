import Foundation

extension Ops {
    /// Mean squared error over all elements: mean((pred - target)^2). When `dPred` is given,
    /// accumulates dLoss * 2 (pred - target) / N into it.
    @discardableResult
    public static func mseLoss(pred: Tensor, target: Tensor, dPred: Tensor? = nil, dLoss: Float = 1) -> Float {
        precondition(pred.count == target.count, "mse shapes \(pred.shape) vs \(target.shape)")
        let n = pred.count, p = pred.pointer, t = target.pointer
        var s = 0.0
        for i in 0..<n { let d = Double(p[i] - t[i]); s += d * d }
        if let g = dPred?.pointer {
            let k = 2 * dLoss / Float(n)
            for i in 0..<n { g[i] += k * (p[i] - t[i]) }
        }
        return Float(s / Double(max(n, 1)))
    }

    /// Mean absolute error: mean(|pred - target|); gradient dLoss * sign(pred - target) / N (0 at ties).
    @discardableResult
    public static func l1Loss(pred: Tensor, target: Tensor, dPred: Tensor? = nil, dLoss: Float = 1) -> Float {
        precondition(pred.count == target.count, "l1 shapes \(pred.shape) vs \(target.shape)")
        let n = pred.count, p = pred.pointer, t = target.pointer
        var s = 0.0
        for i in 0..<n { s += Double(abs(p[i] - t[i])) }
        if let g = dPred?.pointer {
            let k = dLoss / Float(n)
            for i in 0..<n { let d = p[i] - t[i]; g[i] += d > 0 ? k : (d < 0 ? -k : 0) }
        }
        return Float(s / Double(max(n, 1)))
    }

    /// KL(N(mean, exp(logvar)) || N(0, 1)) per element, averaged over all elements:
    /// 0.5 * mean(mean^2 + exp(logvar) - 1 - logvar). Gradients: dmean += dLoss * mean / N,
    /// dlogvar += dLoss * 0.5 (exp(logvar) - 1) / N.
    @discardableResult
    public static func gaussianKLLoss(mean: Tensor, logvar: Tensor, dMean: Tensor? = nil, dLogvar: Tensor? = nil,
                                      dLoss: Float = 1) -> Float {
        precondition(mean.count == logvar.count, "KL shapes \(mean.shape) vs \(logvar.shape)")
        let n = mean.count, m = mean.pointer, lv = logvar.pointer
        var s = 0.0
        for i in 0..<n { s += Double(m[i] * m[i]) + Foundation.exp(Double(lv[i])) - 1 - Double(lv[i]) }
        let k = dLoss / Float(n)
        if let g = dMean?.pointer { for i in 0..<n { g[i] += k * m[i] } }
        if let g = dLogvar?.pointer { for i in 0..<n { g[i] += k * 0.5 * (Foundation.exp(lv[i]) - 1) } }
        return Float(0.5 * s / Double(max(n, 1)))
    }

    /// Softmax cross-entropy of the rows of `logits` (n, K) with a label per row in 0..<K; rows
    /// labelled -1 (or any negative) are skipped. Returns the loss summed over the labelled rows,
    /// how many there are and how many of them have their label as the top logit. When `dLogits`
    /// (n, K) is given, writes dLoss * (softmax - onehot) into the labelled rows and 0 into the
    /// others (a caller wanting the mean passes dLoss = 1 / count).
    @discardableResult
    public static func softmaxCrossEntropy(logits: Tensor, labels: UnsafeBufferPointer<Int32>, dLogits: Tensor? = nil,
                                           dLoss: Float = 1) -> (lossSum: Double, count: Int, correct: Int) {
        let k = logits.shape.last ?? 0, n = k == 0 ? 0 : logits.count / k
        precondition(labels.count == n, "cross-entropy: \(labels.count) labels for \(n) rows")
        precondition(dLogits.map { $0.count == logits.count } ?? true, "cross-entropy gradient shape")
        var lossSum = 0.0, count = 0, correct = 0
        for i in 0..<n {
            let row = logits.pointer + i * k
            let label = Int(labels[i])
            guard label >= 0 else {
                if let d = dLogits?.pointer { (d + i * k).update(repeating: 0, count: k) }
                continue
            }
            precondition(label < k, "cross-entropy: label \(label) of \(k) classes")
            var peak = row[0], best = 0
            for j in 1..<k where row[j] > peak { peak = row[j]; best = j }
            var sum: Float = 0
            for j in 0..<k { sum += expf(row[j] - peak) }
            lossSum += Double(logf(sum) - (row[label] - peak))
            count += 1
            if best == label { correct += 1 }
            if let d = dLogits?.pointer {
                let out = d + i * k, scale = dLoss / sum
                for j in 0..<k { out[j] = expf(row[j] - peak) * scale }
                out[label] -= dLoss
            }
        }
        return (lossSum, count, correct)
    }
}
