import TensorEngine

/// The binding loss (training only, never exported): a linear classifier on the text encoder's
/// output that, at each token `BindingLabels` labels, predicts the object's (colour, shape) pair.
/// Its cross-entropy, weighted, adds its gradient to the one the MMDiT sends into the text
/// encoder, teaching the encoder to bind a colour to its shape (which the flow-matching loss alone
/// did not: docs/training.md, session 8's probe).
final class BindingHead {
    let linear: Linear
    private let dLogitsSlot = TensorSlot()
    /// scale * d loss / d logits of the last `evaluate` that asked for it (a view of the slot).
    private var dLogits: Tensor?

    init(textWidth: Int, classes: Int) {
        linear = Linear(textWidth, classes)
    }

    var classes: Int { linear.outFeatures }

    func namedParameters(prefix: String) -> [(String, Parameter)] {
        linear.namedParameters(prefix: prefix)
    }

    /// A copy of the same size (its weights are set by the replica's `copyWeights`).
    func makeCopy() -> BindingHead {
        BindingHead(textWidth: linear.inFeatures, classes: classes)
    }

    /// The cross-entropy of `text` (b, T, Ct) against `labels` (b * T, `BindingLabels.none` where
    /// there is nothing to predict). With `gradientScale`, keeps scale * d loss / d logits for
    /// `backward(accumulateInto:)`.
    func evaluate(text: Tensor, labels: UnsafeBufferPointer<Int32>, gradientScale: Float?) -> BindingTally {
        let logits = linear.forward(text)                                               // (b, T, K)
        dLogits = gradientScale == nil ? nil : dLogitsSlot.tensor(like: logits)
        let result = Ops.softmaxCrossEntropy(logits: logits, labels: labels, dLogits: dLogits, dLoss: gradientScale ?? 1)
        return BindingTally(lossSum: result.lossSum, count: result.count, correct: result.correct)
    }

    /// Accumulates the head's weight gradients and adds the loss's gradient into `dText` (b, T, Ct).
    func backward(accumulateInto dText: Tensor) {
        guard let dLogits else { preconditionFailure("BindingHead.backward without a gradient from evaluate") }
        linear.backward(dLogits, accumulateInto: dText)
    }
}

/// The binding loss summed over labelled tokens, how many there were and how many the head got right.
struct BindingTally: Equatable {
    var lossSum = 0.0
    var count = 0
    var correct = 0

    static func + (a: BindingTally, b: BindingTally) -> BindingTally {
        BindingTally(lossSum: a.lossSum + b.lossSum, count: a.count + b.count, correct: a.correct + b.correct)
    }

    var meanLoss: Float { count == 0 ? 0 : Float(lossSum / Double(count)) }
    var accuracy: Float { count == 0 ? 0 : Float(correct) / Float(count) }
}
