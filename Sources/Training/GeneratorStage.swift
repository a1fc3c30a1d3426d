import Dataset
import Evaluation
import Foundation
import Models
import ShapesWorld
import TensorEngine
import Tokenizer

/// Stage 4, `train generator`: loads what `GeneratorTrainer` learns from (the frozen FAE, the
/// datasets, the tokenizer, the caption grammar, `--init-from` weights, the feature cache of
/// `train fae`), trains in `<out>/runs/generator/` and exports `generator/`, `text_encoder/` and
/// `spiece.model` into `<out>` (docs/model-layout.md).
public struct GeneratorStage {
    public var configuration: GeneratorConfiguration
    public var options: TrainingOptions
    /// The validation split is required: the validation figures are the stage's learning curve.
    public var data: StageData
    /// Model folder with the frozen FAE's four parts.
    public var faeDirectory: URL
    /// The SentencePiece model; nil: the one of `initFrom` (its text encoder's ids), else
    /// `<fae>/spiece.model`, else `defaultTokenizer()`.
    public var tokenizerFile: URL?
    public var defaultTokenizer: () throws -> URL
    /// A model folder whose `generator/` and `text_encoder/` a new run starts from.
    public var initFrom: URL?
    /// The frozen encoder's features of the training data; nil: `<fae>/runs/features-train.f32`
    /// when it exists. Used for the targets when it matches the encoder and the data.
    public var featureCacheFile: URL?
    /// One copy of the models per thread, each with its share of the batch, instead of splitting
    /// every op across the threads.
    public var dataParallel = true
    /// Logs ShapeBench of the EMA weights on the validation prompts (`prompts/val/`) at every validation.
    public var shapeBenchValidation = true
    /// Exports the checkpoint's EMA weights without training.
    public var exportOnly = false
    /// The prompts folder (caption grammar, ShapeBench prompts), asked for only when needed.
    public var promptsDirectory: () throws -> URL

    public init(configuration: GeneratorConfiguration, options: TrainingOptions, data: StageData, faeDirectory: URL,
                defaultTokenizer: @escaping () throws -> URL, promptsDirectory: @escaping () throws -> URL) {
        self.configuration = configuration
        self.options = options
        self.data = data
        self.faeDirectory = faeDirectory
        self.defaultTokenizer = defaultTokenizer
        self.promptsDirectory = promptsDirectory
    }

    public var runDirectory: URL { data.runDirectory("generator") }

    public func run() throws {
        guard data.validation != nil else {
            throw TrainingError(.missingInput, "--val-data is required: the generator's validation figures are its learning curve")
        }
        let hasCheckpoint = TrainingCheckpoint.exists(at: runDirectory.appendingPathComponent("checkpoint"))
        let out = data.out.relativePath
        if exportOnly, !hasCheckpoint { throw TrainingError(.missingInput, "--export-only: \(out) holds no checkpoint to export") }
        if hasCheckpoint, !data.resume, !exportOnly {
            throw TrainingError(.invalidArgument, "\(out) already holds a generator run; pass --resume to continue it or choose another --out")
        }
        try configuration.validate()
        try options.validate()
        let (inputs, tokenizerURL) = try loadInputs()
        if configuration.family == .flow {
            try runFlow(inputs: inputs, tokenizerURL: tokenizerURL)
            return
        }
        let replicas = dataParallel && !exportOnly ? min(Engine.threads, options.batchSize) : 1
        let trainer: GeneratorTrainer
        do {
            trainer = try GeneratorTrainer(configuration: configuration, options: options, inputs: inputs, directory: runDirectory,
                                           resume: data.resume || exportOnly, threads: Engine.threads, replicas: replicas,
                                           report: TrainingOutput.note)
        } catch let error as TrainingError where error.setting == GeneratorConfiguration.textPositionsSetting && configuration.textPositions {
            throw TrainingError(error.code, "\(error) (a run trained without text positions resumes with --no-text-positions)",
                                cause: error)
        }
        let shift = String(format: "%.3f", trainer.generation.shift)
        TrainingOutput.note("generator: \(inputs.train.count) training images, target \(configuration.target.rawValue) (\(trainer.mmdit.config.latentChannels) channels), shift \(shift)")
        if replicas > 1 {
            TrainingOutput.note("generator: data-parallel, \(replicas) model copies, one per thread, sharing each batch of \(options.batchSize) (--no-data-parallel splits every op instead)")
        }
        if shapeBenchValidation, !exportOnly {
            let prompts = try promptsDirectory()
            let bench = try GeneratorShapeBench(trainer: trainer, tokenizer: inputs.tokenizer, fae: inputs.fae,
                                                world: ShapesWorld(promptsDirectory: prompts),
                                                prompts: validationPrompts(in: prompts))
            trainer.sampleValidation = bench.figures
        }
        if !exportOnly { try trainer.train() }
        try trainer.export(to: data.out, tokenizerFile: tokenizerURL)
        TrainingOutput.note("exported \(ModelLayout.generatorFolder)/, \(ModelLayout.textEncoderFolder)/ and \(ModelLayout.tokenizerFile) into \(out)")
    }

    /// The flow family's run: `FlowTrainer`, then the export.
    private func runFlow(inputs: GeneratorInputs, tokenizerURL: URL) throws {
        let trainer = try FlowTrainer(configuration: configuration, options: options, inputs: inputs, directory: runDirectory,
                                      resume: data.resume || exportOnly, threads: Engine.threads, report: TrainingOutput.note)
        TrainingOutput.note("generator: normalizing flow, \(trainer.flow.parameterCount) parameters, \(inputs.train.count) training images, noise \(configuration.flowNoise), sampling temperature \(configuration.flowTemperature)")
        if shapeBenchValidation, !exportOnly {
            let prompts = try promptsDirectory()
            trainer.sampleValidation = try GeneratorShapeBench(trainer: trainer, tokenizer: inputs.tokenizer, fae: inputs.fae,
                                                               world: ShapesWorld(promptsDirectory: prompts),
                                                               prompts: validationPrompts(in: prompts)).figures
        }
        if !exportOnly { try trainer.train() }
        try trainer.export(to: data.out, tokenizerFile: tokenizerURL)
        TrainingOutput.note("exported \(ModelLayout.generatorFolder)/, \(ModelLayout.textEncoderFolder)/ and \(ModelLayout.tokenizerFile) into \(data.out.relativePath)")
    }

    /// The ShapeBench prompts of the validation passes (`prompts/val/`, none of the evaluation prompts).
    private func validationPrompts(in prompts: URL) throws -> [ShapeBenchPrompt] {
        try ShapeBench.load(file: prompts.appendingPathComponent(ShapeBench.validationRelativePath))
    }
}
