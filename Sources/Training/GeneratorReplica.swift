import Models
import TensorEngine

/// One copy of the generator's two models (the MMDiT and its T5 text encoder), and the heads of
/// the run's auxiliary losses (binding on the text encoder's output, layout on the MMDiT's last
/// image hidden states), with the buffers for its rows of a batch: the flow-matching loss of
/// those rows and, when training, their backward.
final class GeneratorReplica {
    let mmdit: MMDiT
    let textEncoder: T5Encoder
    let bindingHead: TokenClassifier?
    let layoutHead: TokenClassifier?
    /// The models' parameters, MMDiT, T5, binding head, layout head, in the order `TrainingRun` is given them.
    let parameters: [Parameter]
    /// The auxiliary losses of the rows of the last `loss` call (empty without labels).
    private(set) var bindingTally = ClassifierTally(), layoutTally = ClassifierTally()

    private let textMaskSlot = TensorSlot(), dImageHiddenSlot = TensorSlot()
    /// The rows' text ids, in two arrays used in turn: the encoder keeps a reference to the ids of
    /// its last forward, and writing the other array never forces a copy.
    private var ids: [[Int32]] = [[], []]
    private var mask: [Int32] = []
    private var flip = 0

    init(mmdit: MMDiT, textEncoder: T5Encoder, bindingHead: TokenClassifier? = nil, layoutHead: TokenClassifier? = nil) {
        self.mmdit = mmdit
        self.textEncoder = textEncoder
        self.bindingHead = bindingHead
        self.layoutHead = layoutHead
        parameters = Self.namedParameters(mmdit: mmdit, textEncoder: textEncoder, bindingHead: bindingHead, layoutHead: layoutHead)
            .map(\.1)
    }

    /// The trained parameters with their checkpoint names.
    static func namedParameters(mmdit: MMDiT, textEncoder: T5Encoder, bindingHead: TokenClassifier?,
                                layoutHead: TokenClassifier?) -> [(String, Parameter)] {
        mmdit.namedParameters(prefix: "mmdit.") + textEncoder.namedParameters(prefix: "t5.")
            + (bindingHead?.namedParameters(prefix: "binding.") ?? []) + (layoutHead?.namedParameters(prefix: "layout.") ?? [])
    }

    /// A copy with the same configuration; its weights are set by `copyWeights(from:)`.
    func makeCopy() throws -> GeneratorReplica {
        GeneratorReplica(mmdit: try MMDiT(config: mmdit.config), textEncoder: try T5Encoder(config: textEncoder.config),
                         bindingHead: bindingHead?.makeCopy(), layoutHead: layoutHead?.makeCopy())
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
    /// shards add up to the gradient of the batch's mean loss. With `binding` (B * T labels) and a
    /// binding head, also the binding loss of the rows (`bindingTally`) and, when training, its
    /// gradient; the same for `layout` (B * N labels) and the layout head (`layoutTally`).
    func loss(rows: Range<Int>, xt: Tensor, timesteps: Tensor, target: Tensor, batchIDs: [Int32], batchMask: [Int32],
              textTokens t: Int, dVelocity: Tensor?, gradientScale: Float = 1, binding: TokenLabels? = nil,
              layout: TokenLabels? = nil) throws -> Float {
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
        let training = dVelocity != nil
        let bindingHead = binding == nil ? nil : self.bindingHead
        bindingTally = bindingHead.map { $0.evaluate(hidden: text, rows: rows, of: binding!, training: training) } ?? ClassifierTally()
        let layoutHead = layout == nil ? nil : self.layoutHead
        layoutTally = layoutHead.map { head in
            head.evaluate(hidden: mmdit.imageHidden!, rows: rows, of: layout!, training: training)      // (b, N, W)
        } ?? ClassifierTally()
        let rowTarget = target.slice(first: rows)
        guard let dVelocity else { return Ops.mseLoss(pred: predicted, target: rowTarget) }
        let dRows = dVelocity.slice(first: rows)
        dRows.zero()
        let loss = Ops.mseLoss(pred: predicted, target: rowTarget, dPred: dRows, dLoss: gradientScale)
        var dImageHidden: Tensor?
        if let layoutHead {
            let d = dImageHiddenSlot.tensor(like: mmdit.imageHidden!)                                  // (b, N, W)
            d.zero()
            layoutHead.backward(accumulateInto: d)
            dImageHidden = d
        }
        let dText = mmdit.backward(dRows, dImageHidden: dImageHidden)                                  // (b, T, Ct)
        bindingHead?.backward(accumulateInto: dText)
        textEncoder.backward(dText)
        return loss
    }
}

/// An auxiliary loss's labels for a whole batch (B * tokens, negative where unlabelled) and the
/// gradient scale of one labelled token: the loss weight over the batch's labelled tokens, so the
/// shards' gradients add up to the gradient of weight * the batch's mean loss.
struct TokenLabels {
    /// The label of a token with nothing to predict (`Ops.softmaxCrossEntropy` skips it).
    static let unlabelled: Int32 = -1

    var labels: [Int32]
    var gradientScale: Float
}

extension TokenClassifier {
    /// `evaluate` on `rows` of a batch: `hidden` (rows, tokens, W) holds those rows, `batch` every row's labels.
    func evaluate(hidden: Tensor, rows: Range<Int>, of batch: TokenLabels, training: Bool) -> ClassifierTally {
        let perRow = hidden.dim(1)
        return batch.labels.withUnsafeBufferPointer { all in
            evaluate(hidden: hidden, labels: UnsafeBufferPointer(rebasing: all[rows.lowerBound * perRow ..< rows.upperBound * perRow]),
                     gradientScale: training ? batch.gradientScale : nil)
        }
    }
}
