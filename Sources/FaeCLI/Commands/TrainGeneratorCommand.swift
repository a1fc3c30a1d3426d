import ArgumentParser
import FaeResources
import Foundation
import Models
import Sampler
import Training

extension GeneratorTarget: ExpressibleByArgument {}
extension BindingLabelSet: ExpressibleByArgument {}
extension GeneratorFamily: ExpressibleByArgument {}

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
            spiece.model, the layout of docs/model-layout.md. --val-data is required. \(defaults.help)
            """)

    static let defaults = StageDefaults(steps: 10_000, batchSize: 64, lr: 3e-4, warmup: 500)

    @OptionGroup var training: TrainingArguments
    @OptionGroup var threads: ThreadOption

    @Option(help: ArgumentHelp("Model folder with encoder/, fae_encoder/, feature_decoder/, pixel_decoder/ (default: --out).", valueName: "dir"))
    var fae: String?
    @Option(help: ArgumentHelp("SentencePiece model (default: <init-from>/spiece.model, else <fae>/spiece.model, else models/default/spiece.model).", valueName: "file"))
    var tokenizer: String?
    @Option(name: .customLong("init-from"), help: ArgumentHelp("Start a new run from the generator/ and text_encoder/ of this model folder instead of random weights: same sizes, but --text-tokens may differ and a larger --depth grows the generator (new blocks go in before the last one, starting as the identity).", valueName: "dir"))
    var initFrom: String?
    @Option(help: "diffusion (the flow-matching MMDiT) or flow (a normalizing flow, TARFlow-style, on the FAE latent).")
    var family: GeneratorFamily = .diffusion
    @Option(help: "What the generator learns: latent, features or pixels.") var target: GeneratorTarget = .latent
    @Option(name: .customLong("feature-cache"), help: ArgumentHelp("The frozen encoder's features of --data from `train fae` (default: <fae>/runs/features-train.f32); used for the targets when it matches the encoder and the data, else the images are encoded.", valueName: "file"))
    var featureCache: String?
    @Option(help: "MMDiT width.") var width = 128
    @Option(help: "MMDiT blocks (flow: layers of the deep block, the one that reads the text).") var depth = 4
    @Option(name: .customLong("flow-blocks"), help: "Flow: shallow blocks after the deep one.") var flowBlocks = GeneratorConfiguration().flowShallowBlocks
    @Option(name: .customLong("flow-shallow-layers"), help: "Flow: layers of each shallow block.") var flowShallowLayers = GeneratorConfiguration().flowShallowLayers
    @Option(name: .customLong("flow-noise"), help: "Flow: standard deviation of the noise added to the standardised training latents.")
    var flowNoise = GeneratorConfiguration().flowNoise
    @Option(name: .customLong("flow-temperature"), help: "Flow: the sampling temperature (scale of the noise z) written into the exported generation.json.")
    var flowTemperature = GeneratorConfiguration().flowTemperature
    @Option(help: "MMDiT attention heads.") var heads = 4
    @Option(name: .customLong("text-width"), help: "T5 text encoder width (d_model).") var textWidth = 128
    @Option(name: .customLong("text-layers"), help: "T5 text encoder layers.") var textLayers = 2
    @Option(name: .customLong("text-heads"), help: "T5 text encoder heads.") var textHeads = 4
    @Option(name: .customLong("text-tokens"), help: "Text tokens per caption (with </s>; longer captions are cut).") var textTokens = GeneratorConfiguration().textTokens
    @Flag(name: .customLong("text-positions"), inversion: .prefixedNo,
          help: "Give the generator's text stream learned positions, so it can tell which word goes with which and in what order (with --init-from from a model without them, they start at zero). A run trained without them resumes with --no-text-positions.")
    var textPositions = GeneratorConfiguration().textPositions
    @Option(name: .customLong("binding-loss"),
            help: "Weight of the binding loss: a linear head on the text encoder's output must name, at each colour and shape word of a caption, the colour-shape pair of its object (labels from the shapes grammar's parse; the head is not exported). 0: off.")
    var bindingLoss: Float = GeneratorConfiguration().bindingWeight
    @Option(name: .customLong("binding-labels"),
            help: "What the binding loss names at an object's words: color-shape (its colour-shape pair) or scene (its colour or none, its shape, and its cell, its side of the other object in a relation, or the number of a count).")
    var bindingLabels: BindingLabelSet = GeneratorConfiguration().bindingLabels
    @Option(name: .customLong("layout-loss"),
            help: "Weight of the layout loss: a linear head on the generator's last image hidden states must name, at each image token, the colour-shape pair of the object drawn there or background (labels from the data's scenes; the head is not exported). 0: off.")
    var layoutLoss: Float = GeneratorConfiguration().layoutWeight
    @Option(name: .customLong("layout-max-time"), help: "The layout loss applies to samples with a time t at most this (t = 1 is pure noise).")
    var layoutMaxTime: Float = GeneratorConfiguration().layoutMaxTime
    @Option(help: "EMA decay of the weights that are exported.") var ema: Float = 0.999
    @Option(name: .customLong("cfg-dropout"), help: "Fraction of captions replaced by the empty prompt.") var cfgDropout: Float = 0.1
    @Option(help: "Time shift a (default: sqrt(tokens * channels / 4096)).") var shift: Double?
    @Flag(name: .customLong("val-shapebench"), inversion: .prefixedNo,
          help: "At every validation also log ShapeBench of the EMA weights (one image per validation prompt of prompts/val/, default sampler; about 35 s on 2 cores).")
    var valShapeBench = true
    @Flag(name: .customLong("data-parallel"), inversion: .prefixedNo,
          help: "Give each thread its own copy of the models and its share of the batch, instead of splitting every op across the threads (faster for this small a model: `fae-t2i bench train`).")
    var dataParallel = true
    @Flag(name: .customLong("export-only"), help: "Export the EMA weights of the checkpoint in --out without training.")
    var exportOnly = false

    func validate() throws {
        if training.valData == nil { throw ValidationError("--val-data is required: the generator's validation figures are its learning curve") }
    }

    func run() throws {
        threads.apply()
        var configuration = GeneratorConfiguration()
        configuration.family = family
        configuration.target = target
        configuration.flowShallowBlocks = flowBlocks
        configuration.flowShallowLayers = flowShallowLayers
        configuration.flowNoise = flowNoise
        configuration.flowTemperature = flowTemperature
        configuration.width = width; configuration.depth = depth; configuration.heads = heads
        configuration.textWidth = textWidth; configuration.textLayers = textLayers; configuration.textHeads = textHeads
        configuration.textTokens = textTokens
        configuration.textPositions = textPositions
        configuration.textDropout = cfgDropout
        configuration.bindingWeight = bindingLoss
        configuration.bindingLabels = bindingLabels
        configuration.layoutWeight = layoutLoss
        configuration.layoutMaxTime = layoutMaxTime
        configuration.shift = shift
        var options = training.options(Self.defaults)
        options.emaDecay = ema
        let data = training.stageData
        var stage = GeneratorStage(configuration: configuration, options: options, data: data,
                                   faeDirectory: fae.map { URL(fileURLWithPath: $0) } ?? data.out,
                                   defaultTokenizer: {
                                       try ResourceLocator.defaultModelDirectory().appendingPathComponent(ModelLayout.tokenizerFile)
                                   },
                                   promptsDirectory: ResourceLocator.promptsDirectory)
        stage.tokenizerFile = tokenizer.map { URL(fileURLWithPath: $0) }
        stage.initFrom = initFrom.map { URL(fileURLWithPath: $0) }
        stage.featureCacheFile = featureCache.map { URL(fileURLWithPath: $0) }
        stage.dataParallel = dataParallel
        stage.shapeBenchValidation = valShapeBench
        stage.exportOnly = exportOnly
        try TrainingStop.reported { try stage.run() }
    }
}
