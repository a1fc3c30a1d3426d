import Dataset
import ShapesWorld
import Tokenizer

extension GeneratorTrainer {
    /// Every caption of `train` as one `TextBatchEncoder` row: ids and mask (count, T), row-major.
    static func captionRows(of train: ImageDataset, encoder: TextBatchEncoder,
                            report: (String) -> Void) -> (ids: [Int32], mask: [Int32]) {
        let t = encoder.maxTokens
        var truncated = 0
        var ids: [Int32] = [], mask: [Int32] = []
        ids.reserveCapacity(train.count * t)
        mask.reserveCapacity(train.count * t)
        for caption in train.captions {
            let row = encoder.encodeRow(caption)
            ids += row.ids
            mask += row.mask
            if row.truncated { truncated += 1 }
        }
        if truncated > 0 { report("\(truncated) of \(train.count) captions were cut to \(t) tokens (--text-tokens)") }
        return (ids, mask)
    }

    /// The binding loss's labels of the training captions, when it has a weight; refuses captions
    /// of which the grammar labels none (the loss would have nothing to learn).
    static func bindingLabels(of train: ImageDataset, configuration: GeneratorConfiguration, tokenizer: SentencePieceTokenizer,
                              grammar: ShapesGrammar?, report: (String) -> Void) throws -> BindingLabels? {
        guard let grammar, configuration.bindingWeight > 0 else { return nil }
        let labels = BindingLabels(captions: train.captions, tokenizer: tokenizer, maxTokens: configuration.textTokens, grammar: grammar,
                                   set: configuration.bindingLabels)
        guard labels.labelledCaptions > 0 else {
            throw TrainingError(.invalidData, "the binding loss found no caption of \(train.url.path) that the shapes grammar parses into labels (\(configuration.bindingLabels.rawValue)); train without --binding-loss")
        }
        report("binding loss (\(configuration.bindingLabels.rawValue), \(labels.classes) classes): \(labels.labelledCaptions) of \(train.count) captions labelled by the grammar's parse")
        return labels
    }

    /// The layout loss's labels of the training scenes on the `grid` x `grid` token grid, when it has a weight.
    static func layoutLabels(of train: ImageDataset, grid: Int, configuration: GeneratorConfiguration, grammar: ShapesGrammar?,
                             report: (String) -> Void) throws -> LayoutLabels? {
        guard let grammar, configuration.layoutWeight > 0 else { return nil }
        let labels = try LayoutLabels(dataset: train, count: train.count, grid: grid, grammar: grammar)
        report("layout loss: every image token of the \(train.count) training scenes labelled, at times up to \(configuration.layoutMaxTime)")
        return labels
    }
}
