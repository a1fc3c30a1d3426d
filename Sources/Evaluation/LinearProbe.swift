import Foundation
import TensorEngine

/// A linear classifier trained on frozen features (full-batch softmax regression with AdamW on
/// standardised inputs): how linearly readable a property is from a representation.
public enum LinearProbe {
    /// Trains on (n, D) features with labels in 0..<classes and returns the accuracy on the test set.
    public static func accuracy(train: Tensor, trainLabels: [Int], test: Tensor, testLabels: [Int], classes: Int,
                                steps: Int = 300, learningRate: Float = 3e-3, weightDecay: Float = 1e-2, seed: UInt64 = 0) -> Float {
        let d = train.dim(1)
        precondition(test.dim(1) == d && train.dim(0) == trainLabels.count && test.dim(0) == testLabels.count, "probe shapes")
        let (mean, std) = columnStatistics(train)
        let x = standardised(train, mean: mean, std: std), xt = standardised(test, mean: mean, std: std)
        let layer = Linear(d, classes)
        var rng = RandomGenerator(seed: seed)
        layer.initialize(&rng)
        let optimizer = AdamW(layer.namedParameters(prefix: ""), learningRate: learningRate, weightDecay: weightDecay)
        let n = train.dim(0)
        let dLogits = Tensor(zeros: [n, classes])
        let labels = trainLabels.map(Int32.init)
        for _ in 0..<steps {
            optimizer.zeroGrad()
            let logits = layer.forward(x)
            labels.withUnsafeBufferPointer { Ops.softmaxCrossEntropy(logits: logits, labels: $0, dLogits: dLogits, dLoss: 1 / Float(n)) }
            _ = layer.backward(dLogits)
            optimizer.step()
        }
        let logits = layer.forward(xt)
        var correct = 0
        for i in 0..<testLabels.count {
            let row = logits.pointer + i * classes
            var best = 0
            for k in 1..<classes where row[k] > row[best] { best = k }
            if best == testLabels[i] { correct += 1 }
        }
        return Float(correct) / Float(max(testLabels.count, 1))
    }

    static func columnStatistics(_ x: Tensor) -> (mean: [Float], std: [Float]) {
        let n = x.dim(0), d = x.dim(1)
        var mean = [Float](repeating: 0, count: d), variance = [Float](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += x.pointer[i * d + j] } }
        for j in 0..<d { mean[j] /= Float(n) }
        for i in 0..<n { for j in 0..<d { let c = x.pointer[i * d + j] - mean[j]; variance[j] += c * c } }
        return (mean, variance.map { max(($0 / Float(n)).squareRoot(), 1e-6) })
    }

    static func standardised(_ x: Tensor, mean: [Float], std: [Float]) -> Tensor {
        let n = x.dim(0), d = x.dim(1)
        let out = Tensor(zeros: x.shape)
        for i in 0..<n { for j in 0..<d { out.pointer[i * d + j] = (x.pointer[i * d + j] - mean[j]) / std[j] } }
        return out
    }
}
