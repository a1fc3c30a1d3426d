import Models
import TensorEngine

/// One copy of the generator's two models (the MMDiT and its T5 text encoder), and the binding
/// head when the run has a binding loss, with the buffers for its rows of a batch: the
/// flow-matching loss of those rows and, when training, their backward.
final class GeneratorReplica {
    let mmdit: MMDiT
    let textEncoder: T5Encoder
    let bindingHead: BindingHead?
    /// The models' parameters, MMDiT, T5, binding head, in the order `TrainingRun` is given them.
    let parameters: [Parameter]
    /// The binding loss of the rows of the last `loss` call (empty without labels).
    private(set) var bindingTally = BindingTally()

    private let textMaskSlot = TensorSlot()
    /// The rows' text ids, in two arrays used in turn: the encoder keeps a reference to the ids of
    /// its last forward, and writing the other array never forces a copy.
    private var ids: [[Int32]] = [[], []]
    private var mask: [Int32] = []
    private var flip = 0

    init(mmdit: MMDiT, textEncoder: T5Encoder, bindingHead: BindingHead? = nil) {
        self.mmdit = mmdit
        self.textEncoder = textEncoder
        self.bindingHead = bindingHead
        parameters = Self.namedParameters(mmdit: mmdit, textEncoder: textEncoder, bindingHead: bindingHead).map(\.1)
    }

    /// The trained parameters with their checkpoint names.
    static func namedParameters(mmdit: MMDiT, textEncoder: T5Encoder, bindingHead: BindingHead?) -> [(String, Parameter)] {
        mmdit.namedParameters(prefix: "mmdit.") + textEncoder.namedParameters(prefix: "t5.")
            + (bindingHead?.namedParameters(prefix: "binding.") ?? [])
    }

    /// A copy with the same configuration; its weights are set by `copyWeights(from:)`.
    func makeCopy() throws -> GeneratorReplica {
        GeneratorReplica(mmdit: try MMDiT(config: mmdit.config), textEncoder: try T5Encoder(config: textEncoder.config),
                         bindingHead: bindingHead?.makeCopy())
    }

    /// Takes `source`'s weights and clears this copy's gradients.
    func copyWeights(from source: GeneratorReplica) {
        for (mine, theirs) in zip(parameters, source.parameters) {
            mine.value.copy(from: theirs.value)
            mine.zeroGrad()
        }
    }

    /// The MSE between the predicted and the target velocity over `rows` of a batch: `xt`,
    /// `target` (B, N, C), `timesteps` (B), `batchIDs` and `batchMask` (B, T) row-major. With
    /// `dVelocity` (B, N, C), also the backward through both models, accumulating every parameter
    /// gradient; `gradientScale` is the rows' share of the batch, so the gradients of all the
    /// shards add up to the gradient of the batch's mean loss. With `binding` and a binding head,
    /// also the binding loss of the rows (`bindingTally`) and, when training, its gradient.
    func loss(rows: Range<Int>, xt: Tensor, timesteps: Tensor, target: Tensor, batchIDs: [Int32], batchMask: [Int32],
              textTokens t: Int, dVelocity: Tensor?, gradientScale: Float = 1, binding: BindingBatch? = nil) throws -> Float {
        let b = rows.count, count = b * t
        // The arrays keep their capacity, so after the largest shard (a validation batch) the
        // rows of any later step are copied without allocating.
        flip ^= 1
        let textMask = textMaskSlot.tensor(b, t)                                 // (b, T)
        batchIDs.withUnsafeBufferPointer { src in
            let first = UnsafeBufferPointer(rebasing: src[rows.lowerBound * t ..< rows.upperBound * t])
            ids[flip].removeAll(keepingCapacity: true)
            ids[flip].append(contentsOf: first)
        }
        batchMask.withUnsafeBufferPointer { src in
            let first = UnsafeBufferPointer(rebasing: src[rows.lowerBound * t ..< rows.upperBound * t])
            mask.removeAll(keepingCapacity: true)
            mask.append(contentsOf: first)
            let mp = textMask.pointer
            for k in 0 ..< count { mp[k] = Float(first[k]) }
        }
        let text = try textEncoder.forward(inputIDs: ids[flip], batch: b, length: t, attentionMask: mask)   // (b, T, Ct)
        let predicted = try mmdit.forward(xt.slice(first: rows), timesteps: timesteps.slice(first: rows),
                                          text: text, textMask: textMask)                                  // (b, N, C)
        bindingTally = BindingTally()
        let head = binding == nil ? nil : bindingHead
        if let head, let binding {
            bindingTally = binding.labels.withUnsafeBufferPointer { all in
                head.evaluate(text: text, labels: UnsafeBufferPointer(rebasing: all[rows.lowerBound * t ..< rows.upperBound * t]),
                              gradientScale: dVelocity == nil ? nil : binding.gradientScale)
            }
        }
        let rowTarget = target.slice(first: rows)
        guard let dVelocity else { return Ops.mseLoss(pred: predicted, target: rowTarget) }
        let dRows = dVelocity.slice(first: rows)
        dRows.zero()
        let loss = Ops.mseLoss(pred: predicted, target: rowTarget, dPred: dRows, dLoss: gradientScale)
        let dText = mmdit.backward(dRows)                                                              // (b, T, Ct)
        head?.backward(accumulateInto: dText)
        textEncoder.backward(dText)
        return loss
    }
}

/// A batch's binding labels (B * T, `BindingLabels.none` where unlabelled) and the gradient scale
/// of one labelled token: the loss weight over the batch's labelled tokens, so the shards' gradients
/// add up to the gradient of weight * the batch's mean binding loss.
struct BindingBatch {
    var labels: [Int32]
    var gradientScale: Float
}
