import Dataset
import Foundation
import Models
import Sampler
import TensorEngine
import Tokenizer

/// `train generator --family flow`: the normalizing-flow generator (`TransformerFlow`) trained by
/// maximum likelihood on the standardised FAE latents with Gaussian noise of `flowNoise` added
/// (TARFlow's noise augmentation), jointly with a fresh T5 text encoder whose output the flow's deep
/// block reads; 10% of the captions are the empty prompt (classifier-free guidance). The loss is
/// the negative log-likelihood in nats per dimension; the logs also give it in bits per dimension.
///
/// Every step is a pure function of (seed, step), as in `GeneratorTrainer`, whose targets, captions
/// and `TrainingRun` (AdamW, schedule, EMA, checkpoints, log.jsonl) it shares. Ops are split across
/// the engine's threads. Step buffers are allocated once.
public final class FlowTrainer {
    public let configuration: GeneratorConfiguration
    public let options: TrainingOptions
    public let flow: TransformerFlow
    public let textEncoder: T5Encoder
    public let textBatchEncoder: TextBatchEncoder
    public let statistics: LatentStatistics
    public let generation: GenerationSettings
    public let run: TrainingRun
    /// Extra figures for every validation pass, computed with the EMA weights.
    public var sampleValidation: (() throws -> [(String, Float)])?
    /// The loss of every step taken by `train()` in this process.
    public private(set) var losses: [Float] = []

    let tokens: Int, channels: Int
    let batches: ImageBatchLoader
    /// Standardised training latents (count, N, C) and tokenized captions (count, T).
    let trainTargets: Tensor
    let trainIDs: [Int32], trainMask: [Int32]
    let emptyIDs: [Int32], emptyMask: [Int32]
    /// The first validation images' noisy latents (fixed noise) and captions.
    let validation: (latents: Tensor, ids: [Int32], mask: [Int32])?

    // Step buffers: noisy latents (B, N, C); ids, mask (B, T) and the mask as floats.
    let latents: Tensor, textMask: Tensor
    var ids: [Int32], mask: [Int32]

    /// Precomputes the targets of `inputs.train` (and of the first validation images), builds both
    /// models and the run in `directory` (resuming its checkpoint when `resume`).
    public init(configuration: GeneratorConfiguration, options: TrainingOptions, inputs: GeneratorInputs, directory: URL,
                resume: Bool, threads: Int, report: @escaping (String) -> Void = { _ in }) throws {
        try configuration.validate()
        try options.validate()
        guard configuration.family == .flow else { preconditionFailure("FlowTrainer trains the flow family") }
        guard inputs.initialWeights == nil else {
            throw TrainingError(.invalidArgument, "--init-from starts a diffusion generator; a flow run starts from random weights")
        }
        guard inputs.train.count >= options.batchSize else {
            throw TrainingError(.invalidData, "\(inputs.train.url.path) holds \(inputs.train.count) images, fewer than one batch of \(options.batchSize); lower --batch-size")
        }
        self.configuration = configuration
        self.options = options
        let train = inputs.train, b = options.batchSize, t = configuration.textTokens
        let encoder = GeneratorTargetEncoder(fae: inputs.fae, target: configuration.target)
        tokens = encoder.tokens
        channels = encoder.channels
        batches = try ImageBatchLoader(dataset: train, batchSize: b, seed: options.seed, loadsImages: false)
        let targets = GeneratorTrainer.TargetSource(encoder: encoder, configuration: configuration, directory: directory,
                                                    cacheKey: inputs.cacheKey, featureCache: inputs.featureCache, threads: threads,
                                                    report: report)
        (trainTargets, statistics) = try targets.standardisedTrainingTargets(of: train)
        // T = 1 stays out of the file: absent means 1.
        generation = GenerationSettings(target: configuration.target, maxTextTokens: t, shift: 1,
                                        temperature: configuration.flowTemperature == 1 ? nil : configuration.flowTemperature)
        textBatchEncoder = try TextBatchEncoder(tokenizer: inputs.tokenizer, maxTokens: t)
        (trainIDs, trainMask) = GeneratorTrainer.captionRows(of: train, encoder: textBatchEncoder, report: report)
        (emptyIDs, emptyMask) = textBatchEncoder.emptyRow
        let statistics = statistics, text = textBatchEncoder     // locals: the closure may not capture self yet
        validation = try inputs.validation.map { dataset in
            let count = min(configuration.validationImages, dataset.count)
            let latents = try targets.targets(of: dataset, count: count, validation: true)
            try statistics.normalize(latents)
            var rng = RandomGenerator(seed: FixedValidationSet.seed)
            Self.addNoise(to: latents, scale: Float(configuration.flowNoise), rng: &rng)
            let rows = text.encode((0 ..< count).map { dataset.caption(at: $0) })
            return (latents, rows.ids, rows.mask)
        }

        flow = try TransformerFlow(config: configuration.flowConfig(channels: channels, grid: encoder.gridSize))
        var rng = RandomGenerator(seed: options.seed)
        flow.initialize(&rng)
        let tokenizer = inputs.tokenizer
        textEncoder = try T5Encoder(config: configuration.textEncoderConfig(
            vocabularySize: tokenizer.vocabularySize, padID: tokenizer.padID, eosID: tokenizer.eosID))
        textEncoder.initialize(seed: options.seed &+ 1)
        var settings = configuration.checkpointSettings
        settings["train_images"] = "\(train.count)"
        settings["batch_size"] = "\(b)"
        settings["seed"] = "\(options.seed)"
        settings["vocab_size"] = "\(tokenizer.vocabularySize)"
        run = try TrainingRun(name: "generator", directory: directory,
                              parameters: flow.namedParameters(prefix: "flow.") + textEncoder.namedParameters(prefix: "t5."),
                              options: options, settings: settings, resume: resume)
        latents = Tensor(zeros: [b, tokens, channels])
        textMask = Tensor(zeros: [b, t])
        ids = [Int32](repeating: 0, count: b * t)
        mask = [Int32](repeating: 0, count: b * t)
        losses.reserveCapacity(options.steps)
    }

    /// x += scale * N(0, 1), element by element.
    static func addNoise(to x: Tensor, scale: Float, rng: inout RandomGenerator) {
        let p = x.pointer
        for i in 0 ..< x.count { p[i] += scale * rng.normal() }
    }

    /// Trains the remaining steps (validating every `validationInterval` steps and at the end).
    /// With `stopAfter`, stops once that many steps are done as an interrupt does.
    public func train(stopAfter: Int? = nil) throws {
        try run.run(step: { [unowned self] i in
            if let stopAfter, i >= stopAfter {
                try self.run.saveCheckpoint()
                throw TrainingError.interrupted(self.run.name, step: i, of: self.options.steps)
            }
            let loss = try self.step(i)
            self.losses.append(loss)
            return [("loss", loss), ("bits_per_dim", loss / Float(M_LN2))]
        }, validate: validation == nil && sampleValidation == nil ? nil : { [unowned self] _ in
            let loss: [(String, Float)] = self.validation == nil ? [] : [("val_bits_per_dim", try self.validationBitsPerDimension())]
            return try loss + (self.sampleValidation.map { try self.run.withAveragedWeights($0) } ?? [])
        })
    }

    /// One optimizer step's forward and backward (gradients accumulate; `TrainingRun` applies
    /// them): the batch, the caption dropout and the noise are functions of (seed, step) only.
    func step(_ i: Int) throws -> Float {
        let b = options.batchSize, t = configuration.textTokens, per = tokens * channels
        let batchIndices = batches.selectIndices(step: i)
        var rng = RandomGenerator(seed: (options.seed &+ 0x6A09_E667_F3BC_C909) ^ (UInt64(i) &* 0x9E37_79B9_7F4A_7C15))
        let scale = Float(configuration.flowNoise)
        for r in 0 ..< b {
            let index = batchIndices[r]
            let row = latents.pointer + r * per, source = trainTargets.pointer + index * per
            for k in 0 ..< per { row[k] = source[k] + scale * rng.normal() }
            let drop = rng.uniform() < configuration.textDropout
            for k in 0 ..< t {
                ids[r * t + k] = drop ? emptyIDs[k] : trainIDs[index * t + k]
                mask[r * t + k] = drop ? emptyMask[k] : trainMask[index * t + k]
                textMask.pointer[r * t + k] = Float(mask[r * t + k])
            }
        }
        let text = try textEncoder.forward(inputIDs: ids, batch: b, length: t, attentionMask: mask)   // (B, T, Ct)
        _ = try flow.forward(latents, text: text, textMask: textMask)
        let loss = flow.negativeLogLikelihood()
        flow.backward()
        textEncoder.backward(flow.textGradient!)
        return loss
    }

    /// The negative log-likelihood of the validation latents (fixed noise) in bits per dimension,
    /// with the live weights.
    func validationBitsPerDimension() throws -> Float {
        guard let validation else { return .nan }
        let count = validation.latents.dim(0), t = configuration.textTokens, b = options.batchSize
        var total = 0.0, start = 0
        while start < count {
            let rows = min(b, count - start)
            let ids = Array(validation.ids[start * t ..< (start + rows) * t]), mask = Array(validation.mask[start * t ..< (start + rows) * t])
            let maskTensor = try Tensor(shape: [rows, t], values: mask.map(Float.init))
            let text = try textEncoder.forward(inputIDs: ids, batch: rows, length: t, attentionMask: mask)
            _ = try flow.forward(validation.latents.slice(first: start ..< start + rows), text: text, textMask: maskTensor)
            total += flow.negativeLogLikelihoods().reduce(0.0) { $0 + Double($1) }
            start += rows
        }
        return Float(total / Double(count) / M_LN2)
    }

    /// Writes the EMA weights as model parts into `directory`: `generator/` (flow config + weights,
    /// latent_statistics.json, generation.json), `text_encoder/` and, when given, `spiece.model`.
    public func export(to directory: URL, tokenizerFile: URL?) throws {
        run.useAveragedWeights()
        try GeneratorTrainer.exportParts(to: directory, generator: flow.save(directory:), statistics: statistics,
                                         generation: generation, textEncoder: textEncoder, tokenizerFile: tokenizerFile)
    }
}
