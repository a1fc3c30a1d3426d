import TensorEngine

/// An auxiliary loss head of generator training (never exported): a linear classifier on a
/// model's hidden states (B, T, C) that predicts a label per token, skipping unlabelled tokens.
/// Its weighted cross-entropy adds its gradient to the hidden states' gradient. Two uses: the
/// binding loss on the text encoder's output (`BindingLabels`) and the layout loss on the MMDiT's
/// last image hidden states (`LayoutLabels`).
final class TokenClassifier {
    let linear: Linear
    private let dLogitsSlot = TensorSlot()
    /// scale * d loss / d logits of the last `evaluate` that asked for it (a view of the slot).
    private var dLogits: Tensor?

    init(width: Int, classes: Int) {
        linear = Linear(width, classes)
    }

    var classes: Int { linear.outFeatures }

    func namedParameters(prefix: String) -> [(String, Parameter)] {
        linear.namedParameters(prefix: prefix)
    }

    /// A copy of the same size (its weights are set by the replica's `copyWeights`).
    func makeCopy() -> TokenClassifier {
        TokenClassifier(width: linear.inFeatures, classes: classes)
    }

    /// The cross-entropy of `hidden` (b, T, C) against `labels` (b * T, negative where there is
    /// nothing to predict). With `gradientScale`, keeps scale * d loss / d logits for
    /// `backward(accumulateInto:)`.
    func evaluate(hidden: Tensor, labels: UnsafeBufferPointer<Int32>, gradientScale: Float?) -> ClassifierTally {
        let logits = linear.forward(hidden)                                             // (b, T, K)
        dLogits = gradientScale == nil ? nil : dLogitsSlot.tensor(like: logits)
        let result = Ops.softmaxCrossEntropy(logits: logits, labels: labels, dLogits: dLogits, dLoss: gradientScale ?? 1)
        return ClassifierTally(lossSum: result.lossSum, count: result.count, correct: result.correct)
    }

    /// Accumulates the head's weight gradients and adds the loss's gradient into `dHidden` (b, T, C).
    func backward(accumulateInto dHidden: Tensor) {
        guard let dLogits else { preconditionFailure("TokenClassifier.backward without a gradient from evaluate") }
        linear.backward(dLogits, accumulateInto: dHidden)
    }
}

/// A head's loss summed over labelled tokens, how many there were and how many it got right.
struct ClassifierTally: Equatable {
    var lossSum = 0.0
    var count = 0
    var correct = 0

    static func + (a: ClassifierTally, b: ClassifierTally) -> ClassifierTally {
        ClassifierTally(lossSum: a.lossSum + b.lossSum, count: a.count + b.count, correct: a.correct + b.correct)
    }

    var meanLoss: Float { count == 0 ? 0 : Float(lossSum / Double(count)) }
    var accuracy: Float { count == 0 ? 0 : Float(correct) / Float(count) }
}
