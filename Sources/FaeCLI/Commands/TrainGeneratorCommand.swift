import ArgumentParser
import Dataset
import FaeResources
import Foundation
import Models
import Sampler
import ShapesWorld
import TensorEngine
import Tokenizer
import Training

extension GeneratorTarget: ExpressibleByArgument {}

/// `train generator`: the text-conditioned MMDiT (flow matching) and its T5 text encoder, on targets
/// made once by a frozen FAE. Exports `generator/`, `text_encoder/` and `spiece.model` into --out.
struct TrainGeneratorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generator",
        abstract: "Train the text-to-image generator (MMDiT + T5 text encoder) on FAE latents.",
        discussion: """
            Targets (FAE latents, encoder features or pixel patches) are computed once with the frozen \
            FAE parts of --fae, standardised per channel, and learned by flow matching. The run lives in \
            <out>/runs/generator/ (checkpoint/, log.jsonl, target caches); at the end the EMA weights are exported into --out as \
            generator/ (MMDiT, latent_statistics.json, generation.json), text_encoder/ (T5) and \
            spiece.model, the layout of docs/model-layout.md.
            """)

    @Option(help: ArgumentHelp("Training dataset folder.", valueName: "dir")) var data: String
    @Option(name: .customLong("val-data"), help: ArgumentHelp("Validation dataset folder.", valueName: "dir")) var valData: String
    @Option(help: ArgumentHelp("Model folder with encoder/, fae_encoder/, feature_decoder/, pixel_decoder/ (default: --out).", valueName: "dir"))
    var fae: String?
    @Option(help: ArgumentHelp("Model folder the parts are exported into; the run is kept in <out>/runs/generator/.", valueName: "dir")) var out: String
    @Option(help: ArgumentHelp("SentencePiece model (default: <init-from>/spiece.model, else <fae>/spiece.model, else models/default/spiece.model).", valueName: "file"))
    var tokenizer: String?
    @Option(name: .customLong("init-from"), help: ArgumentHelp("Start a new run from the generator/ and text_encoder/ of this model folder instead of random weights: same sizes, but --text-tokens may differ and a larger --depth grows the generator (new blocks go in before the last one, starting as the identity).", valueName: "dir"))
    var initFrom: String?
    @Option(help: "What the generator learns: latent, features or pixels.") var target: GeneratorTarget = .latent
    @Option(name: .customLong("feature-cache"), help: ArgumentHelp("The frozen encoder's features of --data from `train fae` (default: <fae>/runs/features-train.f32); used for the targets when it matches the encoder and the data, else the images are encoded.", valueName: "file"))
    var featureCache: String?
    @Option(help: "Optimizer steps.") var steps = 10_000
    @Option(name: .customLong("batch-size"), help: "Images per step.") var batchSize = 64
    @Option(help: "Peak learning rate (AdamW, warmup then cosine decay).") var lr: Float = 3e-4
    @Option(help: "Warmup steps.") var warmup = 500
    @Option(help: "MMDiT width.") var width = 128
    @Option(help: "MMDiT blocks.") var depth = 4
    @Option(help: "MMDiT attention heads.") var heads = 4
    @Option(name: .customLong("text-width"), help: "T5 text encoder width (d_model).") var textWidth = 128
    @Option(name: .customLong("text-layers"), help: "T5 text encoder layers.") var textLayers = 2
    @Option(name: .customLong("text-heads"), help: "T5 text encoder heads.") var textHeads = 4
    @Option(name: .customLong("text-tokens"), help: "Text tokens per caption (with </s>; longer captions are cut).") var textTokens = GeneratorConfiguration().textTokens
    @Flag(name: .customLong("text-positions"), inversion: .prefixedNo,
          help: "Give the generator's text stream learned positions, so it can tell which word goes with which and in what order (with --init-from from a model without them, they start at zero). Runs made before this was the default resume with --no-text-positions.")
    var textPositions = GeneratorConfiguration().textPositions
    @Option(name: .customLong("binding-loss"),
            help: "Weight of the binding loss: a linear head on the text encoder's output must name, at each colour and shape word of a caption, the colour-shape pair of its object (labels from the shapes grammar's parse; the head is not exported). 0: off.")
    var bindingLoss: Float = GeneratorConfiguration().bindingWeight
    @Option(name: .customLong("layout-loss"),
            help: "Weight of the layout loss: a linear head on the generator's last image hidden states must name, at each image token, the colour-shape pair of the object drawn there or background (labels from the data's scenes; the head is not exported). 0: off.")
    var layoutLoss: Float = GeneratorConfiguration().layoutWeight
    @Option(name: .customLong("layout-max-time"), help: "The layout loss applies to samples with a time t at most this (t = 1 is pure noise).")
    var layoutMaxTime: Float = GeneratorConfiguration().layoutMaxTime
    @Option(help: "EMA decay of the weights that are exported.") var ema: Float = 0.999
    @Option(name: .customLong("cfg-dropout"), help: "Fraction of captions replaced by the empty prompt.") var cfgDropout: Float = 0.1
    @Option(help: "Time shift a (default: sqrt(tokens * channels / 4096)).") var shift: Double?
    @Option(name: .customLong("val-every"), help: "Steps between validation passes.") var valEvery = 500
    @Flag(name: .customLong("val-shapebench"), inversion: .prefixedNo,
          help: "At every validation also log ShapeBench of the EMA weights (one image per evaluation prompt, default sampler; about 35 s on 2 cores).")
    var valShapeBench = true
    @Option(name: .customLong("checkpoint-minutes"), help: "Minutes between checkpoints.") var checkpointMinutes: Double = 3
    @Option(help: "Seed of the initial weights, batch order, noise and times.") var seed: UInt64 = 0
    @Flag(name: .customLong("data-parallel"), inversion: .prefixedNo,
          help: "Give each thread its own copy of the models and its share of the batch, instead of splitting every op across the threads (faster for this small a model: `fae-t2i bench train`).")
    var dataParallel = true
    @Flag(help: "Continue the run in --out from its checkpoint.") var resume = false
    @Flag(name: .customLong("export-only"), help: "Export the EMA weights of the checkpoint in --out without training.")
    var exportOnly = false
    @OptionGroup var threadOption: ThreadOption

    func validate() throws {
        if valEvery < 0 { throw CLIError("--val-every must not be negative, got \(valEvery)") }
        if !(checkpointMinutes > 0) { throw CLIError("--checkpoint-minutes must be positive, got \(checkpointMinutes)") }
    }

    func run() throws {
        let threads = threadOption.apply()
        let faeURL = URL(fileURLWithPath: fae ?? out)
        let outURL = URL(fileURLWithPath: out)
        // Like the other stages: the run lives in <out>/runs/generator/, the parts go into <out>.
        let runURL = outURL.appendingPathComponent("runs").appendingPathComponent("generator")
        let hasCheckpoint = TrainingCheckpoint.exists(at: runURL.appendingPathComponent("checkpoint"))
        if exportOnly, !hasCheckpoint { throw CLIError("--export-only: \(out) holds no checkpoint to export") }
        if hasCheckpoint, !resume, !exportOnly {
            throw CLIError("\(out) already holds a generator run; pass --resume to continue it or choose another --out")
        }
        var configuration = GeneratorConfiguration()
        configuration.target = target
        configuration.width = width; configuration.depth = depth; configuration.heads = heads
        configuration.textWidth = textWidth; configuration.textLayers = textLayers; configuration.textHeads = textHeads
        configuration.textTokens = textTokens
        configuration.textPositions = textPositions
        configuration.textDropout = cfgDropout
        configuration.bindingWeight = bindingLoss
        configuration.layoutWeight = layoutLoss
        configuration.layoutMaxTime = layoutMaxTime
        configuration.shift = shift
        var options = TrainingOptions(steps: steps, batchSize: batchSize, learningRate: lr, warmupSteps: warmup)
        options.emaDecay = ema
        options.validationInterval = valEvery
        options.checkpointInterval = checkpointMinutes * 60
        options.seed = seed
        do {
            try configuration.validate()
            try options.validate()
        } catch {
            throw CLIError("\(error)")
        }
        do {
            let autoencoder = try Self.loadFAE(faeURL)
            let initialWeights = try initFrom.map { try GeneratorInitialWeights(directory: URL(fileURLWithPath: $0)) }
            let tokenizerURL = try tokenizerFile(faeURL: faeURL)
            let spm = try SentencePieceTokenizer(modelFile: tokenizerURL)
            let size = autoencoder.config.imageSize
            let train = try Self.openDataset(data, option: "--data", imageSize: size, threads: threads)
            let validation = try Self.openDataset(valData, option: "--val-data", imageSize: size, threads: threads)
            let replicas = dataParallel && !exportOnly ? min(threads, batchSize) : 1
            let grammar = bindingLoss > 0 || layoutLoss > 0 ? try ShapesGrammar.load(from: ResourceLocator.promptsDirectory()) : nil
            let trainer = try GeneratorTrainer(configuration: configuration, options: options, train: train, validation: validation,
                                               fae: autoencoder, tokenizer: spm, directory: runURL,
                                               resume: resume || exportOnly, threads: threads,
                                               cacheKey: LatentCache.fingerprint(faeDirectory: faeURL, target: target),
                                               featureCache: { try matchingFeatureCache(faeURL: faeURL, train: train) },
                                               initialWeights: initialWeights, replicas: replicas, grammar: grammar,
                                               report: Self.note)
            Self.note("generator: \(train.count) training images, target \(target.rawValue) (\(trainer.mmdit.config.latentChannels) channels), shift \(String(format: "%.3f", trainer.generation.shift))")
            if replicas > 1 {
                Self.note("generator: data-parallel, \(replicas) model copies, one per thread, sharing each batch of \(batchSize) (--no-data-parallel splits every op instead)")
            }
            if valShapeBench, !exportOnly {
                let promptsDirectory = try ResourceLocator.promptsDirectory()
                let bench = try GeneratorShapeBench(trainer: trainer, tokenizer: spm, fae: autoencoder,
                                                    world: ShapesWorld(promptsDirectory: promptsDirectory),
                                                    prompts: ShapeBench.load(from: promptsDirectory))
                trainer.sampleValidation = bench.figures
            }
            if !exportOnly { try trainer.train() }
            try trainer.export(to: outURL, tokenizerFile: tokenizerURL)
            Self.note("exported \(GeneratorTrainer.generatorFolder)/, \(GeneratorTrainer.textEncoderFolder)/ and \(GeneratorTrainer.tokenizerFileName) into \(out)")
        } catch let error as CLIError {
            throw error
        } catch let error as TokenizerError {
            throw CLIError(error.message)
        } catch let error as TrainingError where error.setting == GeneratorConfiguration.textPositionsSetting && textPositions {
            throw CLIError("\(error) (runs made before text positions were the default resume with --no-text-positions)")
        } catch {
            throw CLIError("\(error)")
        }
    }

    /// The feature cache of --data made by `train fae` with this FAE's encoder, if there is one.
    private func matchingFeatureCache(faeURL: URL, train: ImageDataset) throws -> FeatureCache? {
        guard target != .pixels else { return nil }
        let url = featureCache.map { URL(fileURLWithPath: $0) } ?? faeURL.appendingPathComponent("runs/features-train.f32")
        guard FileManager.default.fileExists(atPath: url.path) else {
            if featureCache != nil { throw CLIError("--feature-cache: no file at \(url.path)") }
            return nil
        }
        let fingerprint = FeatureCache.fingerprint(encoderDirectory: faeURL.appendingPathComponent(FAEAutoencoder.encoderFolder), dataset: train)
        let cache = try FeatureCache.load(url, ifFingerprint: fingerprint)
        if cache == nil { Self.note("\(url.path) was made from another encoder or dataset; encoding the images instead") }
        return cache
    }

    /// --tokenizer, else the one of --init-from (its text encoder's ids), else <fae>/spiece.model,
    /// else the repository's models/default/spiece.model.
    private func tokenizerFile(faeURL: URL) throws -> URL {
        if let tokenizer {
            let url = URL(fileURLWithPath: tokenizer)
            guard FileManager.default.fileExists(atPath: url.path) else { throw CLIError("--tokenizer: no file at \(url.path)") }
            return url
        }
        if let initFrom {
            let url = URL(fileURLWithPath: initFrom).appendingPathComponent(GeneratorTrainer.tokenizerFileName)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CLIError("--init-from: \(initFrom) holds no \(GeneratorTrainer.tokenizerFileName) (its text encoder's tokenizer); pass --tokenizer")
            }
            return url
        }
        let beside = faeURL.appendingPathComponent("spiece.model")
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        let fallback = try ResourceLocator.modelsDirectory().appendingPathComponent("default/spiece.model")
        guard FileManager.default.fileExists(atPath: fallback.path) else {
            throw CLIError("no tokenizer: neither \(beside.path) nor \(fallback.path) exists; pass --tokenizer")
        }
        return fallback
    }

    /// The four frozen FAE parts, with a clear message for a missing one.
    static func loadFAE(_ url: URL) throws -> FAEAutoencoder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("--fae: model folder \(url.path) does not exist")
        }
        let parts = [FAEAutoencoder.encoderFolder, FAEAutoencoder.faeEncoderFolder, FAEAutoencoder.featureDecoderFolder,
                     FAEAutoencoder.pixelDecoderFolder]
        let missing = parts.filter { !FileManager.default.fileExists(atPath: url.appendingPathComponent($0).appendingPathComponent("config.json").path) }
        guard missing.isEmpty else {
            throw CLIError("--fae: \(url.path) lacks \(missing.map { $0 + "/" }.joined(separator: ", ")) (needs \(parts.map { $0 + "/" }.joined(separator: ", ")))")
        }
        do {
            return try FAEAutoencoder(directory: url)
        } catch {
            throw CLIError("--fae: \(error)")
        }
    }

    static func openDataset(_ path: String, option: String, imageSize: Int, threads: Int) throws -> ImageDataset {
        do {
            return try ImageDataset.open(url: URL(fileURLWithPath: path), imageSize: imageSize, threads: threads)
        } catch {
            throw CLIError("\(option): \(error)")
        }
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
