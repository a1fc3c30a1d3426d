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
///
/// The concerns live in extensions: `+Targets` (precomputing the standardised targets), `+Text`
/// (captions and the auxiliary losses' labels), `+Validation` and `+Step`.
public final class GeneratorTrainer {
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

    let tokens: Int, channels: Int
    /// The batch order (the same rule as every other stage).
    let batches: ImageBatchLoader
    /// Standardised training targets (count, N, C) and tokenized captions (count, T).
    let trainTargets: Tensor
    let trainIDs: [Int32], trainMask: [Int32]
    let emptyIDs: [Int32], emptyMask: [Int32]
    /// The binding loss's labels of the training captions (with a binding weight).
    let trainBinding: BindingLabels?
    /// The layout loss's labels of the training images (with a layout weight).
    let trainLayout: LayoutLabels?
    let validation: Validation?

    /// The models' copies that share each step's work (the first holds `mmdit` and `textEncoder`).
    let dataParallel: DataParallelGenerator

    // Step buffers: z, noise, x_t, v and dv (B, N, C); times (B); ids, mask, binding labels (B, T);
    // layout labels (B, N).
    let z: Tensor, noise: Tensor, timesteps: Tensor, xt: Tensor, velocity: Tensor, dVelocity: Tensor
    var ids: [Int32], mask: [Int32], bindingLabels: [Int32], layoutLabels: [Int32]

    /// Precomputes the targets of `inputs.train` (and of the first validation images), builds both
    /// models and the run in `directory` (resuming its checkpoint when `resume`). `replicas` copies
    /// of the models share each training step, one per thread (at most `threads`). `report`
    /// receives progress lines.
    public init(configuration: GeneratorConfiguration, options: TrainingOptions, inputs: GeneratorInputs, directory: URL,
                resume: Bool, threads: Int, replicas replicaCount: Int = 1, report: @escaping (String) -> Void = { _ in }) throws {
        try Self.check(configuration, options, inputs: inputs, threads: threads, replicas: replicaCount)
        self.configuration = configuration
        self.options = options
        let train = inputs.train, b = options.batchSize, t = configuration.textTokens
        let encoder = GeneratorTargetEncoder(fae: inputs.fae, target: configuration.target)
        tokens = encoder.tokens
        channels = encoder.channels
        batches = try ImageBatchLoader(dataset: train, batchSize: b, seed: options.seed, loadsImages: false)

        let targets = TargetSource(encoder: encoder, configuration: configuration, directory: directory, cacheKey: inputs.cacheKey,
                                   featureCache: inputs.featureCache, threads: threads, report: report)
        (trainTargets, statistics) = try targets.standardisedTrainingTargets(of: train)
        let shift = FlowMatching.shift(forTokens: tokens, channels: channels, override: configuration.shift)
        generation = GenerationSettings(target: configuration.target, maxTextTokens: t, shift: shift)

        textBatchEncoder = try TextBatchEncoder(tokenizer: inputs.tokenizer, maxTokens: t)
        (trainIDs, trainMask) = Self.captionRows(of: train, encoder: textBatchEncoder, report: report)
        (emptyIDs, emptyMask) = textBatchEncoder.emptyRow
        let binding = try Self.bindingLabels(of: train, configuration: configuration, tokenizer: inputs.tokenizer,
                                             grammar: inputs.grammar, report: report)
        let layout = try Self.layoutLabels(of: train, grid: encoder.gridSize, configuration: configuration, grammar: inputs.grammar,
                                           report: report)
        trainBinding = binding
        trainLayout = layout
        // Locals, as the closure may not capture self before every member is set.
        let statistics = statistics, text = textBatchEncoder
        validation = try inputs.validation.map {
            try Validation($0, configuration: configuration, targets: targets, statistics: statistics, text: text,
                           shift: shift, grammar: inputs.grammar, withBinding: binding != nil, withLayout: layout != nil)
        }

        (mmdit, textEncoder) = try Self.models(configuration, seed: options.seed, channels: channels, grid: encoder.gridSize,
                                               inputs: inputs, report: report)
        // The heads start at zero (parameters are zeroed on creation): a random head would send
        // random gradients into a trained model before it has learned anything.
        let bindingHead = binding.map { TokenClassifier(width: configuration.textWidth, classes: $0.classes) }
        let layoutHead = layout.map { TokenClassifier(width: configuration.width, classes: $0.classes) }
        let primary = GeneratorReplica(mmdit: mmdit, textEncoder: textEncoder, bindingHead: bindingHead, layoutHead: layoutHead)
        dataParallel = try DataParallelGenerator(primary: primary, count: replicaCount)
        var settings = configuration.checkpointSettings
        settings["train_images"] = "\(train.count)"
        settings["batch_size"] = "\(b)"
        settings["seed"] = "\(options.seed)"
        settings["vocab_size"] = "\(inputs.tokenizer.vocabularySize)"
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
        bindingLabels = [Int32](repeating: TokenLabels.unlabelled, count: binding == nil ? 0 : b * t)
        layoutLabels = [Int32](repeating: TokenLabels.unlabelled, count: layout == nil ? 0 : b * tokens)
        losses.reserveCapacity(options.steps)
    }

    /// Refuses settings the run cannot train with before any target is computed.
    private static func check(_ configuration: GeneratorConfiguration, _ options: TrainingOptions, inputs: GeneratorInputs,
                              threads: Int, replicas: Int) throws {
        try configuration.validate()
        guard (configuration.bindingWeight == 0 && configuration.layoutWeight == 0) || inputs.grammar != nil else {
            throw TrainingError(.invalidArgument, "the binding and layout losses need the shapes grammar that labels the captions and scenes")
        }
        guard (1 ... max(threads, 1)).contains(replicas) else {
            throw TrainingError(.invalidArgument, "data-parallel replicas must be between 1 and the thread count \(threads), got \(replicas)")
        }
        try options.validate()
        guard inputs.train.count >= options.batchSize else {
            throw TrainingError(.invalidData, "\(inputs.train.url.path) holds \(inputs.train.count) images, fewer than one batch of \(options.batchSize); lower --batch-size")
        }
    }

    /// Both models with fresh weights, or those of `inputs.initialWeights` (a resumed run's
    /// checkpoint replaces them later).
    private static func models(_ configuration: GeneratorConfiguration, seed: UInt64, channels: Int, grid: Int, inputs: GeneratorInputs,
                               report: (String) -> Void) throws -> (MMDiT, T5Encoder) {
        let mmdit = try MMDiT(config: configuration.generatorConfig(channels: channels, grid: grid))
        mmdit.initialize(seed: seed)
        // adaLN-Zero: with a zero output layer the untrained model predicts v = 0.
        for (_, p) in mmdit.finalLinear.namedParameters(prefix: "") { p.value.zero() }
        let tokenizer = inputs.tokenizer
        let textEncoder = try T5Encoder(config: configuration.textEncoderConfig(
            vocabularySize: tokenizer.vocabularySize, padID: tokenizer.padID, eosID: tokenizer.eosID))
        textEncoder.initialize(seed: seed &+ 1)
        if let initialWeights = inputs.initialWeights {
            try initialWeights.load(into: mmdit, textEncoder: textEncoder)
            report("started from the generator and text encoder in \(initialWeights.directory.path)")
        }
        return (mmdit, textEncoder)
    }

    /// Trains the remaining steps (validating every `validationInterval` steps and at the end).
    /// With `stopAfter`, stops once that many steps are done as an interrupt does: the checkpoint
    /// is saved and an `.interrupted` `TrainingError` thrown (continue with resume).
    public func train(stopAfter: Int? = nil) throws {
        try run.run(step: { [unowned self] i in
            if let stopAfter, i >= stopAfter {
                try self.run.saveCheckpoint()
                throw TrainingError.interrupted(self.run.name, step: i, of: self.options.steps)
            }
            let loss = try self.step(i)
            self.losses.append(loss)
            return [("loss", loss)] + self.auxiliaryFigures(prefix: "")
        }, validate: validation == nil && sampleValidation == nil ? nil : { [unowned self] _ in
            let loss: [(String, Float)] = self.validation == nil ? [] : try self.validationFigures()
            return try loss + (self.sampleValidation.map { try self.run.withAveragedWeights($0) } ?? [])
        })
    }

    /// Writes the EMA weights (or the current ones without EMA) as model parts into `directory`:
    /// `generator/` (MMDiT config + weights, latent_statistics.json, generation.json),
    /// `text_encoder/` (T5) and, when given, the tokenizer as `spiece.model`.
    public func export(to directory: URL, tokenizerFile: URL?) throws {
        run.useAveragedWeights()
        try Self.exportParts(to: directory, generator: mmdit.save(directory:), statistics: statistics, generation: generation,
                             textEncoder: textEncoder, tokenizerFile: tokenizerFile)
    }

    /// Writes a generator's parts into `directory`: `generator/` (by `generator`, then
    /// latent_statistics.json and generation.json), `text_encoder/` and, when given, the tokenizer
    /// as `spiece.model`.
    static func exportParts(to directory: URL, generator: (URL) throws -> Void, statistics: LatentStatistics,
                            generation: GenerationSettings, textEncoder: T5Encoder, tokenizerFile: URL?) throws {
        let generatorURL = directory.appendingPathComponent(ModelLayout.generatorFolder)
        do {
            try generator(generatorURL)
            try statistics.save(directory: generatorURL)
            try generation.save(directory: generatorURL)
            try textEncoder.save(directory: directory.appendingPathComponent(ModelLayout.textEncoderFolder))
            if let tokenizerFile {
                let destination = directory.appendingPathComponent(ModelLayout.tokenizerFile)
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
