import Dataset
import Foundation
import Models
import Sampler
import ShapesWorld
import TensorEngine
import Tokenizer

/// `train generator`: a text-conditioned MMDiT trained by flow matching (fae-paper.md: x_t =
/// (1 - t) z + t eps, target v = eps - z, logit-normal t with shift, MSE) on standardised targets
/// precomputed once with the frozen FAE, jointly with a fresh T5 text encoder (gradients flow from
/// the MMDiT's text stream into `T5Encoder.backward`). Uses the shared `TrainingRun` (AdamW,
/// schedule, clipping, EMA of both models, checkpoints, log.jsonl).
///
/// Every step is a pure function of (seed, step): the batch comes from `ImageBatchLoader.selectIndices`
/// of `ShuffledBatches.permutation`, the dropout, noise and times from a generator seeded with the
/// step, so a resumed run ends with the same weights as a straight one (with the same threads and
/// model copies: float sums are split by thread and by copy). Step buffers are allocated once.
/// With several replicas, the forward and backward run data-parallel (`DataParallelGenerator`).
public final class GeneratorTrainer {
    public static let generatorFolder = "generator"
    public static let textEncoderFolder = "text_encoder"
    public static let tokenizerFileName = "spiece.model"

    public let configuration: GeneratorConfiguration
    public let options: TrainingOptions
    public let mmdit: MMDiT
    public let textEncoder: T5Encoder
    public let textBatchEncoder: TextBatchEncoder
    /// Per-channel statistics of the training targets (the generator learns standardised targets).
    public let statistics: LatentStatistics
    public let generation: GenerationSettings
    public let run: TrainingRun
    /// Extra figures for every validation pass, computed with the EMA weights in `mmdit` and
    /// `textEncoder` (e.g. `GeneratorShapeBench`); the validation loss uses the live weights.
    public var sampleValidation: (() throws -> [(String, Float)])?
    /// The loss of every step taken by `train()` in this process.
    public private(set) var losses: [Float] = []

    private let tokens: Int, channels: Int
    /// The batch order (the same rule as every other stage).
    private let batches: ImageBatchLoader
    /// Standardised training targets (count, N, C) and tokenized captions (count, T).
    private let trainTargets: Tensor
    private let trainIDs: [Int32], trainMask: [Int32]
    private let emptyIDs: [Int32], emptyMask: [Int32]
    private let validation: FixedValidationSet?
    /// The binding loss's labels of the training and validation captions (with a binding weight).
    private let trainBinding: BindingLabels?, validationBinding: BindingLabels?
    /// The layout loss's labels of the training and validation images (with a layout weight).
    private let trainLayout: LayoutLabels?, validationLayout: LayoutLabels?

    /// The models' copies that share each step's work (the first holds `mmdit` and `textEncoder`).
    let dataParallel: DataParallelGenerator

    // Step buffers.
    private let z: Tensor, noise: Tensor, timesteps: Tensor, xt: Tensor, velocity: Tensor, dVelocity: Tensor
    private var ids: [Int32], mask: [Int32], bindingLabels: [Int32], layoutLabels: [Int32]

    /// Precomputes the targets of `train` (and of the first `validationImages` of `validation`),
    /// builds both models and the run in `directory` (resuming its checkpoint when `resume`).
    /// `report` receives progress lines. With `cacheKey` (what identifies the FAE weights, e.g.
    /// `LatentCache.fingerprint`), the targets are kept in `directory` (`LatentCache`) and reused.
    /// With `featureCache` (loads the frozen encoder's features of `train`, in order, or nil), the
    /// training targets are made from them instead of running the visual encoder over the images
    /// again; it is only called when the targets are not in the run's cache already. With
    /// `initialWeights`, a new run starts from those weights (a resumed run from its checkpoint).
    /// `replicas` copies of the models share each training step, one per thread (at most `threads`).
    /// A binding or layout weight needs the caption `grammar`, which labels the captions and scenes.
    public init(configuration: GeneratorConfiguration, options: TrainingOptions, train: ImageDataset,
                validation validationData: ImageDataset?, fae: FAEAutoencoder, tokenizer: SentencePieceTokenizer,
                directory: URL, resume: Bool, threads: Int, cacheKey: String? = nil, featureCache: (() throws -> FeatureCache?)? = nil,
                initialWeights: GeneratorInitialWeights? = nil, replicas replicaCount: Int = 1, grammar: ShapesGrammar? = nil,
                report: (String) -> Void = { _ in }) throws {
        try configuration.validate()
        guard (configuration.bindingWeight == 0 && configuration.layoutWeight == 0) || grammar != nil else {
            throw TrainingError(.invalidArgument, "the binding and layout losses need the shapes grammar that labels the captions and scenes")
        }
        guard (1 ... max(threads, 1)).contains(replicaCount) else {
            throw TrainingError(.invalidArgument, "data-parallel replicas must be between 1 and the thread count \(threads), got \(replicaCount)")
        }
        try options.validate()
        self.configuration = configuration
        self.options = options
        let b = options.batchSize, t = configuration.textTokens
        guard train.count >= b else {
            throw TrainingError(.invalidData, "\(train.url.path) holds \(train.count) images, fewer than one batch of \(b); lower --batch-size")
        }
        let encoder = GeneratorTargetEncoder(fae: fae, target: configuration.target)
        tokens = encoder.tokens
        channels = encoder.channels
        batches = try ImageBatchLoader(dataset: train, batchSize: b, seed: options.seed, loadsImages: false)

        // Targets, statistics, standardisation.
        func cached(_ dataset: ImageDataset, count: Int, validation: Bool) throws -> Tensor {
            let cache = cacheKey.map {
                LatentCache(directory: directory, target: configuration.target, validation: validation,
                            key: "\($0)|\(dataset.url.path)|\(dataset.count)")
            }
            if let hit = cache?.load(shape: [count, encoder.tokens, encoder.channels]) {
                report("read the \(configuration.target.rawValue) targets of \(count) \(validation ? "validation" : "training") images from \(cache!.url.lastPathComponent)")
                return hit
            }
            if !validation, let loadFeatures = featureCache, let features = try loadFeatures() {
                guard features.count == count else {
                    throw TrainingError(.invalidData, "the feature cache holds \(features.count) images, \(dataset.url.path) \(count)")
                }
                if let targets = try encoder.encodeAll(features: features) {
                    report("made the \(configuration.target.rawValue) targets of \(count) training images from the feature cache")
                    try cache?.save(targets)
                    return targets
                }
            }
            let targets = try encoder.encodeAll(dataset, indices: Array(0 ..< count), batchSize: configuration.encodeBatchSize,
                                                threads: threads) { done, total in
                if done == total || (done / configuration.encodeBatchSize) % 25 == 0 {
                    report("encoding \(configuration.target.rawValue) targets: \(done)/\(total) \(validation ? "validation" : "training") images")
                }
            }
            try cache?.save(targets)
            return targets
        }
        let targets = try cached(train, count: train.count, validation: false)
        do {
            statistics = try LatentStatistics.estimate(from: targets)
            try statistics.normalize(targets)
        } catch {
            throw TrainingError(.invalidData, "cannot standardise the training targets: \(error)", cause: error)
        }
        trainTargets = targets
        let shift = FlowMatching.shift(forTokens: tokens, channels: channels, override: configuration.shift)
        generation = GenerationSettings(target: configuration.target, maxTextTokens: t, shift: shift)

        // Text.
        textBatchEncoder = try TextBatchEncoder(tokenizer: tokenizer, maxTokens: t)
        var truncated = 0
        var allIDs: [Int32] = [], allMask: [Int32] = []
        allIDs.reserveCapacity(train.count * t)
        allMask.reserveCapacity(train.count * t)
        for caption in train.captions {
            let row = textBatchEncoder.encodeRow(caption)
            allIDs += row.ids
            allMask += row.mask
            if row.truncated { truncated += 1 }
        }
        if truncated > 0 { report("\(truncated) of \(train.count) captions were cut to \(t) tokens (--text-tokens)") }
        trainIDs = allIDs
        trainMask = allMask
        (emptyIDs, emptyMask) = textBatchEncoder.emptyRow
        if let grammar, configuration.bindingWeight > 0 {
            let labels = BindingLabels(captions: train.captions, tokenizer: tokenizer, maxTokens: t, grammar: grammar)
            guard labels.labelledCaptions > 0 else {
                throw TrainingError(.invalidData, "the binding loss found no caption of \(train.url.path) that the shapes grammar parses with a colour; train without --binding-loss")
            }
            report("binding loss: \(labels.labelledCaptions) of \(train.count) captions name a colour-shape pair the grammar parses")
            trainBinding = labels
        } else {
            trainBinding = nil
        }
        if let grammar, configuration.layoutWeight > 0 {
            trainLayout = try LayoutLabels(dataset: train, count: train.count, grid: encoder.gridSize, grammar: grammar)
            report("layout loss: every image token of the \(train.count) training scenes labelled, at times up to \(configuration.layoutMaxTime)")
        } else {
            trainLayout = nil
        }

        if let validationData {
            let count = min(configuration.validationImages, validationData.count)
            let indices = Array(0 ..< count)
            let valTargets = try cached(validationData, count: count, validation: true)
            try statistics.normalize(valTargets)
            let captions = indices.map { validationData.caption(at: $0) }
            let text = textBatchEncoder.encode(captions)
            validation = FixedValidationSet(targets: valTargets, ids: text.ids, mask: text.mask, shift: shift)
            validationBinding = trainBinding == nil ? nil : grammar.map {
                BindingLabels(captions: captions, tokenizer: tokenizer, maxTokens: t, grammar: $0)
            }
            validationLayout = try trainLayout == nil ? nil : grammar.map {
                try LayoutLabels(dataset: validationData, count: count, grid: encoder.gridSize, grammar: $0)
            }
        } else {
            validation = nil
            validationBinding = nil
            validationLayout = nil
        }

        // Models: fresh (or --init-from) weights, then the checkpoint's when resuming.
        mmdit = try MMDiT(config: configuration.generatorConfig(channels: channels, grid: encoder.gridSize))
        mmdit.initialize(seed: options.seed)
        // adaLN-Zero: with a zero output layer the untrained model predicts v = 0.
        for (_, p) in mmdit.finalLinear.namedParameters(prefix: "") { p.value.zero() }
        textEncoder = try T5Encoder(config: configuration.textEncoderConfig(
            vocabularySize: tokenizer.vocabularySize, padID: tokenizer.padID, eosID: tokenizer.eosID))
        textEncoder.initialize(seed: options.seed &+ 1)
        if let initialWeights {
            try initialWeights.load(into: mmdit, textEncoder: textEncoder)
            report("started from the generator and text encoder in \(initialWeights.directory.path)")
        }
        var settings = configuration.checkpointSettings
        settings["train_images"] = "\(train.count)"
        settings["batch_size"] = "\(b)"
        settings["seed"] = "\(options.seed)"
        settings["vocab_size"] = "\(tokenizer.vocabularySize)"
        // The heads start at zero (parameters are zeroed on creation): a random head would send
        // random gradients into a trained model before it has learned anything.
        let bindingHead = trainBinding.map { TokenClassifier(width: configuration.textWidth, classes: $0.classes) }
        let layoutHead = trainLayout.map { TokenClassifier(width: configuration.width, classes: $0.classes) }
        let primary = GeneratorReplica(mmdit: mmdit, textEncoder: textEncoder, bindingHead: bindingHead, layoutHead: layoutHead)
        dataParallel = try DataParallelGenerator(primary: primary, count: replicaCount)
        run = try TrainingRun(name: "generator", directory: directory,
                              parameters: GeneratorReplica.namedParameters(mmdit: mmdit, textEncoder: textEncoder, bindingHead: bindingHead,
                                                                           layoutHead: layoutHead),
                              options: options, settings: settings, resume: resume)

        z = Tensor(zeros: [b, tokens, channels])
        noise = Tensor(zeros: [b, tokens, channels])
        timesteps = Tensor(zeros: [b])
        xt = Tensor(zeros: [b, tokens, channels])
        velocity = Tensor(zeros: [b, tokens, channels])
        dVelocity = Tensor(zeros: [b, tokens, channels])
        ids = [Int32](repeating: 0, count: b * t)
        mask = [Int32](repeating: 0, count: b * t)
        bindingLabels = [Int32](repeating: TokenLabels.unlabelled, count: trainBinding == nil ? 0 : b * t)
        layoutLabels = [Int32](repeating: TokenLabels.unlabelled, count: trainLayout == nil ? 0 : b * tokens)
        losses.reserveCapacity(options.steps)
    }

    /// Trains the remaining steps (validating every `validationInterval` steps and at the end).
    /// With `stopAfter`, stops once that many steps are done, saving a checkpoint and throwing a
    /// "stopped" `TrainingError`, as an interrupt does (continue with resume).
    public func train(stopAfter: Int? = nil) throws {
        try run.run(step: { [unowned self] i in
            if let stopAfter, i >= stopAfter {
                try self.run.saveCheckpoint()
                throw TrainingError(.invalidArgument, "generator: stopped at step \(i)/\(self.options.steps); the checkpoint is saved, continue with --resume")
            }
            let loss = try self.step(i)
            self.losses.append(loss)
            return [("loss", loss)] + self.auxiliaryFigures(prefix: "")
        }, validate: validation == nil && sampleValidation == nil ? nil : { [unowned self] _ in
            let loss: [(String, Float)] = self.validation == nil ? [] : try self.validationFigures()
            return try loss + (self.sampleValidation.map { try self.run.withAveragedWeights($0) } ?? [])
        })
    }

    /// One optimizer step's forward and backward (gradients accumulate; `TrainingRun` applies them).
    func step(_ i: Int) throws -> Float {
        let b = options.batchSize, t = configuration.textTokens, per = tokens * channels
        let batchIndices = batches.selectIndices(step: i)
        var rng = RandomGenerator(seed: (options.seed &+ 0x6A09_E667_F3BC_C909) ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
        let dropout = configuration.textDropout
        var labelled = 0
        ids.withUnsafeMutableBufferPointer { dstIDs in
            mask.withUnsafeMutableBufferPointer { dstMask in
                bindingLabels.withUnsafeMutableBufferPointer { dstLabels in
                    for r in 0 ..< b {
                        let index = batchIndices[r]
                        (z.pointer + r * per).update(from: trainTargets.pointer + index * per, count: per)
                        let drop = rng.uniform() < dropout
                        for k in 0 ..< t {
                            dstIDs[r * t + k] = drop ? emptyIDs[k] : trainIDs[index * t + k]
                            dstMask[r * t + k] = drop ? emptyMask[k] : trainMask[index * t + k]
                        }
                        // The empty caption names nothing, so a dropped row has no binding labels.
                        guard let labels = trainBinding?.labels else { continue }
                        for k in 0 ..< t {
                            dstLabels[r * t + k] = drop ? TokenLabels.unlabelled : labels[index * t + k]
                            if dstLabels[r * t + k] != TokenLabels.unlabelled { labelled += 1 }
                        }
                    }
                }
            }
        }
        rng.fillNormal(noise)
        FlowMatching.sampleTimesteps(into: timesteps, shift: generation.shift, rng: &rng)
        FlowMatching.interpolate(latents: z, noise: noise, timesteps: timesteps, xt: xt, target: velocity)
        let binding = labelled == 0 ? nil : TokenLabels(labels: bindingLabels, gradientScale: configuration.bindingWeight / Float(labelled))
        var layout: TokenLabels?
        if let trainLayout {
            let count = Self.gateLayoutLabels(trainLayout, rows: batchIndices, timesteps: timesteps, maxTime: configuration.layoutMaxTime,
                                              into: &layoutLabels)
            layout = count == 0 ? nil : TokenLabels(labels: layoutLabels, gradientScale: configuration.layoutWeight / Float(count))
        }
        return try dataParallel.lossAndGradients(xt: xt, timesteps: timesteps, target: velocity, ids: ids, mask: mask,
                                                 textTokens: t, dVelocity: dVelocity, binding: binding, layout: layout)
    }

    /// Copies the layout labels of the images `rows` (one batch row each) into `batch`, leaving
    /// unlabelled the rows whose time is above `maxTime`; returns how many tokens are labelled.
    private static func gateLayoutLabels(_ layout: LayoutLabels, rows: [Int], timesteps: Tensor, maxTime: Float,
                                         into batch: inout [Int32]) -> Int {
        let tokens = batch.count / rows.count
        var labelled = 0
        layout.labels.withUnsafeBufferPointer { source in
            batch.withUnsafeMutableBufferPointer { destination in
                for (r, index) in rows.enumerated() {
                    let keep = timesteps.pointer[r] <= maxTime
                    for k in 0 ..< tokens {
                        destination[r * tokens + k] = keep ? source[index * tokens + k] : TokenLabels.unlabelled
                    }
                    if keep { labelled += tokens }
                }
            }
        }
        return labelled
    }

    /// The auxiliary losses' mean and accuracy over the last batch (or validation pass).
    private func auxiliaryFigures(prefix: String, binding: ClassifierTally? = nil, layout: ClassifierTally? = nil) -> [(String, Float)] {
        var figures: [(String, Float)] = []
        if trainBinding != nil {
            let tally = binding ?? dataParallel.bindingTally
            figures += [(prefix + "binding_loss", tally.meanLoss), (prefix + "binding_accuracy", tally.accuracy)]
        }
        if trainLayout != nil {
            let tally = layout ?? dataParallel.layoutTally
            figures += [(prefix + "layout_loss", tally.meanLoss), (prefix + "layout_accuracy", tally.accuracy)]
        }
        return figures
    }

    /// The flow-matching loss of the current weights on the fixed validation images, noise and times.
    public func validationLoss() throws -> Float {
        try validationPass().loss
    }

    /// `val_loss` and, with auxiliary losses, their means and accuracies on the validation set
    /// (`val_binding_accuracy`: how well the text encoder's vectors bind on held-out captions).
    func validationFigures() throws -> [(String, Float)] {
        let pass = try validationPass()
        return [("val_loss", pass.loss)] + auxiliaryFigures(prefix: "val_", binding: pass.binding, layout: pass.layout)
    }

    private func validationPass() throws -> (loss: Float, binding: ClassifierTally, layout: ClassifierTally) {
        guard let v = validation else { return (.nan, ClassifierTally(), ClassifierTally()) }
        let b = options.batchSize, count = v.targets.dim(0)
        let binding = validationBinding.map { TokenLabels(labels: $0.labels, gradientScale: 0) }
        var layout: TokenLabels?
        if let validationLayout {
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

    /// Writes the EMA weights (or the current ones without EMA) as model parts into `directory`:
    /// `generator/` (MMDiT config + weights, latent_statistics.json, generation.json),
    /// `text_encoder/` (T5) and, when given, the tokenizer as `spiece.model`.
    public func export(to directory: URL, tokenizerFile: URL?) throws {
        run.useAveragedWeights()
        let generatorURL = directory.appendingPathComponent(Self.generatorFolder)
        do {
            try mmdit.save(directory: generatorURL)
            try statistics.save(directory: generatorURL)
            try generation.save(directory: generatorURL)
            try textEncoder.save(directory: directory.appendingPathComponent(Self.textEncoderFolder))
            if let tokenizerFile {
                let destination = directory.appendingPathComponent(Self.tokenizerFileName)
                if destination.standardizedFileURL.path != tokenizerFile.standardizedFileURL.path {
                    try? FileManager.default.removeItem(at: destination)
                    try FileManager.default.copyItem(at: tokenizerFile, to: destination)
                }
            }
        } catch {
            throw TrainingError(.cannotWrite, "cannot export the generator into \(directory.path): \(error)", cause: error)
        }
    }
}

/// Validation images with noise and times drawn once from a fixed seed, so the loss is comparable
/// across steps (and runs): x_t and the target velocity are stored.
struct FixedValidationSet {
    static let seed: UInt64 = 0x5EED_7A11_DA7A
    let targets: Tensor, xt: Tensor, velocity: Tensor, timesteps: Tensor
    let ids: [Int32], mask: [Int32]

    init(targets: Tensor, ids: [Int32], mask: [Int32], shift: Double) {
        self.targets = targets
        self.ids = ids
        self.mask = mask
        var rng = RandomGenerator(seed: Self.seed)
        let noise = Tensor(zeros: targets.shape)
        rng.fillNormal(noise)
        timesteps = Tensor(zeros: [targets.dim(0)])
        FlowMatching.sampleTimesteps(into: timesteps, shift: shift, rng: &rng)
        xt = Tensor(zeros: targets.shape)
        velocity = Tensor(zeros: targets.shape)
        FlowMatching.interpolate(latents: targets, noise: noise, timesteps: timesteps, xt: xt, target: velocity)
    }
}
