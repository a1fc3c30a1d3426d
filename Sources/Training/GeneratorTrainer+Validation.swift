import Dataset
import Sampler
import ShapesWorld
import TensorEngine
import Tokenizer

extension GeneratorTrainer {
    /// What the validation passes score: the first `validationImages` held-out images with their
    /// fixed noise and times, and the auxiliary losses' labels when those losses train.
    struct Validation {
        let set: FixedValidationSet
        let binding: BindingLabels?
        let layout: LayoutLabels?

        /// `targets` makes the images' targets; they are standardised with the training `statistics`.
        init(_ dataset: ImageDataset, configuration: GeneratorConfiguration, targets: TargetSource, statistics: LatentStatistics,
             text: TextBatchEncoder, shift: Double, grammar: ShapesGrammar?, withBinding: Bool, withLayout: Bool) throws {
            let count = min(configuration.validationImages, dataset.count)
            let indices = Array(0 ..< count)
            let standardised = try targets.targets(of: dataset, count: count, validation: true)
            try statistics.normalize(standardised)
            let captions = indices.map { dataset.caption(at: $0) }
            let rows = text.encode(captions)
            set = FixedValidationSet(targets: standardised, ids: rows.ids, mask: rows.mask, shift: shift)
            binding = withBinding ? grammar.map {
                BindingLabels(captions: captions, tokenizer: text.tokenizer, maxTokens: configuration.textTokens, grammar: $0,
                              set: configuration.bindingLabels)
            } : nil
            layout = try withLayout ? grammar.map {
                try LayoutLabels(dataset: dataset, count: count, grid: targets.encoder.gridSize, grammar: $0)
            } : nil
        }
    }

    /// `val_loss` and, with auxiliary losses, their means and accuracies on the validation set
    /// (`val_binding_accuracy`: how well the text encoder's vectors bind on held-out captions).
    func validationFigures() throws -> [(String, Float)] {
        let pass = try validationPass()
        return [("val_loss", pass.loss)] + auxiliaryFigures(prefix: "val_", binding: pass.binding, layout: pass.layout)
    }

    /// The flow-matching loss of the live weights over the validation set, in batches of the
    /// training batch size, with the auxiliary heads' tallies (no gradients).
    private func validationPass() throws -> (loss: Float, binding: ClassifierTally, layout: ClassifierTally) {
        guard let validation else { return (.nan, ClassifierTally(), ClassifierTally()) }
        let v = validation.set
        let b = options.batchSize, count = v.targets.dim(0)
        let binding = validation.binding.map { TokenLabels(labels: $0.labels, gradientScale: 0) }
        var layout: TokenLabels?
        if let validationLayout = validation.layout {
            var labels = [Int32](repeating: TokenLabels.unlabelled, count: validationLayout.labels.count)
            _ = Self.gateLayoutLabels(validationLayout, rows: Array(0 ..< count), timesteps: v.timesteps,
                                      maxTime: configuration.layoutMaxTime, into: &labels)
            layout = TokenLabels(labels: labels, gradientScale: 0)
        }
        var sum = 0.0, start = 0, bindingTally = ClassifierTally(), layoutTally = ClassifierTally()
        while start < count {
            let end = min(start + b, count)
            let loss = try dataParallel.primary.loss(rows: start ..< end, xt: v.xt, timesteps: v.timesteps, target: v.velocity,
                                                     batchIDs: v.ids, batchMask: v.mask, textTokens: configuration.textTokens,
                                                     dVelocity: nil, binding: binding, layout: layout)
            sum += Double(loss) * Double(end - start)
            bindingTally = bindingTally + dataParallel.primary.bindingTally
            layoutTally = layoutTally + dataParallel.primary.layoutTally
            start = end
        }
        return (Float(sum / Double(count)), bindingTally, layoutTally)
    }
}
