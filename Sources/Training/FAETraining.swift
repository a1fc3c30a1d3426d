import Dataset
import Evaluation
import Foundation
import Models
import TensorEngine

/// Stage 2, `train fae`: the FAE encoder (one attention layer by default) and the feature decoder
/// on the frozen encoder's cached features, loss mean((x_hat - x)^2) + beta * KL. Exports
/// `<out>/fae_encoder/` and `<out>/feature_decoder/`.
public struct FAETraining {
    public var config: FAEConfig
    public var options: TrainingOptions
    public var data: StageData
    public var encoderDirectory: URL
    public var featureCache: URL
    public var beta: Float = 1e-6
    public var validationImages = 512

    public init(config: FAEConfig, options: TrainingOptions, data: StageData, encoderDirectory: URL, featureCache: URL) {
        self.config = config
        self.options = options
        self.data = data
        self.encoderDirectory = encoderDirectory
        self.featureCache = featureCache
    }

    @discardableResult
    public func run() throws -> FAEConfig {
        let frozen = try FrozenEncoder(directory: encoderDirectory)
        let config = try frozen.faeConfig(imageSize: self.config.imageSize, base: self.config)
        let train = try data.openTrain(imageSize: config.imageSize)
        let log: (String) -> Void = { TrainingOutput.note("train fae: \($0)") }
        let cache = try frozen.features(of: train, cache: featureCache, log: log)
        let validation = try data.openValidation(imageSize: config.imageSize)
            .map { try frozen.features(ofFirst: validationImages, in: $0, tokens: config.tokens).features }

        let encoder: FAEEncoder, decoder: FeatureDecoder
        do {
            encoder = try FAEEncoder(config: config)
            decoder = try FeatureDecoder(config: config)
        } catch { throw TrainingError(.invalidArgument, "\(error)", cause: error) }
        encoder.initialize(seed: options.seed)
        decoder.initialize(seed: options.seed &+ 1)
        var settings = data.settings
        settings["encoder"] = encoderDirectory.standardizedFileURL.path
        settings["encoder_kind"] = config.encoderKind.rawValue
        settings["latent_channels"] = String(config.latentChannels)
        let run = try TrainingRun(name: "train fae", directory: data.runDirectory("fae"),
                                  parameters: encoder.namedParameters(prefix: "fae_encoder.") + decoder.namedParameters(prefix: "feature_decoder."),
                                  options: options, settings: settings, resume: data.resume)
        let batches = try ImageBatchLoader(dataset: train, batchSize: options.batchSize, seed: options.seed)
        let features = Tensor(zeros: [options.batchSize, config.tokens, config.encoderWidth])
        let objective = FAETrainingStep()
        let beta = beta
        try run.run(step: { step in
            cache.gather(batches.selectIndices(step: step), into: features)
            var rng = RandomGenerator(seed: options.seed &+ 0xFAE &+ UInt64(step) &* 0x9E37_79B9)
            let r = objective.feature(encoder: encoder, decoder: decoder, features: features, beta: beta, rng: &rng)
            return [("loss", r.reconstruction + beta * r.kl), ("recon_mse", r.reconstruction), ("kl", r.kl)]
        }, validate: validation.map { x in { _ in
            let xHat = decoder.forward(encoder.forward(x).mean)
            return [("val_feature_mse", FeatureMetrics.mse(xHat, x)), ("val_feature_cosine", FeatureMetrics.meanCosine(xHat, x))]
        } })
        do {
            try encoder.save(directory: data.out.appendingPathComponent(ModelLayout.faeEncoderFolder))
            try decoder.save(directory: data.out.appendingPathComponent(ModelLayout.featureDecoderFolder))
        } catch { throw TrainingError(.cannotWrite, "\(error)", cause: error) }
        return config
    }
}
