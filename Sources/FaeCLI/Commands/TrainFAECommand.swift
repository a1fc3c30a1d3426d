import ArgumentParser
import Foundation
import Models
import Training

struct TrainFAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fae",
        abstract: "Stage 2: the FAE encoder and feature decoder on the frozen encoder's (cached) features.",
        discussion: "Writes <out>/fae_encoder/ and <out>/feature_decoder/. The encoder's features of --data are computed once into --feature-cache. \(defaults.help)")

    static let defaults = StageDefaults(steps: 2500, batchSize: 32, lr: 5e-4, warmup: 100)

    @OptionGroup var training: TrainingArguments
    @OptionGroup var threads: ThreadOption

    @OptionGroup var frozenEncoder: FrozenEncoderArguments
    @Option(name: .customLong("encoder-kind"), help: "attention (the paper's), linear or transformer3 (ablations).") var encoderKind: FAEEncoderKind = .attention
    @Option(name: .customLong("latent-channels"), help: "Latent channels d per token.") var latentChannels = 16
    @Option(name: .customLong("decoder-width"), help: "Feature decoder width.") var decoderWidth = 192
    @Option(name: .customLong("decoder-depth"), help: "Feature decoder blocks.") var decoderDepth = 3
    @Option(name: .customLong("decoder-heads"), help: "Feature decoder heads.") var decoderHeads = 3
    @Option(help: "KL weight (per latent element).") var beta: Float = 1e-6

    func validate() throws {
        guard latentChannels > 0, decoderWidth > 0, decoderDepth >= 0, decoderHeads > 0 else {
            throw CLIError("--latent-channels, --decoder-width and --decoder-heads must be positive, --decoder-depth not negative")
        }
        guard beta >= 0, beta.isFinite else { throw CLIError("--beta must not be negative") }
    }

    func run() throws {
        threads.apply()
        let data = training.stageData
        var config = FAEConfig()
        config.encoderKind = encoderKind
        config.latentChannels = latentChannels
        config.featureDecoderWidth = decoderWidth
        config.featureDecoderDepth = decoderDepth
        config.featureDecoderHeads = decoderHeads
        var stage = FAETraining(config: config, options: training.options(Self.defaults), data: data,
                                encoderDirectory: frozenEncoder.encoderDirectory(data), featureCache: frozenEncoder.featureCacheFile(data))
        stage.beta = beta
        try TrainingStop.reported { try stage.run() }
        print("fae: \(data.out.appendingPathComponent(ModelLayout.faeEncoderFolder).path), \(data.out.appendingPathComponent(ModelLayout.featureDecoderFolder).path)")
    }
}

extension FAEEncoderKind: ExpressibleByArgument {}
