import Dataset
import Foundation
import Models
import TensorEngine

/// Stage 3, `train pixel-decoder`. Stage Ia (the first `noisySteps` steps): the decoder reads the
/// frozen encoder's features plus Gaussian noise whose scale is drawn per image from
/// U(0, noiseScale) x the features' RMS, so it learns to tolerate the FAE's reconstruction error.
/// Stage II (the remaining steps): it reads the FAE's reconstructions x_hat = D(E(x)) (posterior
/// mean), the features it will see at generation time. Loss: L1 with object pixels weighted.
/// Exports `<out>/pixel_decoder/`.
public struct PixelDecoderTraining {
    public var options: TrainingOptions
    public var data: StageData
    public var encoderDirectory: URL
    /// Folder with `fae_encoder/` and `feature_decoder/` (stage II); nil = stage Ia only.
    public var faeDirectory: URL?
    public var featureCache: URL
    public var noisySteps: Int
    public var noiseScale: Float = 0.2
    public var objectWeight: Float = 4
    public var loss: PixelLossKind = .l1
    /// Overrides of the pixel decoder's size (nil = the FAE config's).
    public var width: Int?, depth: Int?, mapChannels: Int?
    public var validationImages = 256

    public init(options: TrainingOptions, data: StageData, encoderDirectory: URL, faeDirectory: URL?, featureCache: URL, noisySteps: Int) {
        self.options = options
        self.data = data
        self.encoderDirectory = encoderDirectory
        self.faeDirectory = faeDirectory
        self.featureCache = featureCache
        self.noisySteps = noisySteps
    }

    public func run() throws {
        let frozen = try FrozenEncoder(directory: encoderDirectory)
        var faeEncoder: FAEEncoder?, featureDecoder: FeatureDecoder?
        var config: FAEConfig
        if let faeDirectory {
            do {
                faeEncoder = try FAEEncoder.load(directory: faeDirectory.appendingPathComponent(FAEAutoencoder.faeEncoderFolder))
                featureDecoder = try FeatureDecoder.load(directory: faeDirectory.appendingPathComponent(FAEAutoencoder.featureDecoderFolder))
            } catch {
                throw TrainingError(.missingInput, "cannot load the FAE from \(faeDirectory.path) (run `fae-t2i train fae` first): \(error)", cause: error)
            }
            config = faeEncoder!.config
            for p in faeEncoder!.parameters + featureDecoder!.parameters { p.frozen = true }
            featureDecoder!.needsInputGradient = false
        } else {
            guard noisySteps >= options.steps else {
                throw TrainingError(.missingInput, "stage II needs the trained FAE: pass --fae DIR, or set --noisy-steps to --steps")
            }
            config = try frozen.faeConfig(imageSize: 64, base: FAEConfig())
        }
        if let width { config.pixelDecoderWidth = width }
        if let depth { config.pixelDecoderDepth = depth }
        if let mapChannels { config.pixelDecoderMapChannels = mapChannels }
        // Heads of 64 channels, as the default (128 wide, 2 heads).
        config.pixelDecoderHeads = max(1, config.pixelDecoderWidth / 64)
        if let problem = config.problem { throw TrainingError(.invalidArgument, "pixel decoder config: \(problem)") }
        let train = try data.openTrain(imageSize: config.imageSize)
        let cache = try frozen.features(of: train, cache: featureCache, log: { FileHandleOutput.note("train pixel-decoder: \($0)") })
        let validation = try data.openValidation(imageSize: config.imageSize)
            .map { try frozen.features(ofFirst: validationImages, in: $0, tokens: config.tokens) }

        let decoder: PixelDecoder
        do { decoder = try PixelDecoder(config: config) } catch { throw TrainingError(.invalidArgument, "\(error)", cause: error) }
        decoder.initialize(seed: options.seed &+ 2)
        decoder.needsInputGradient = false
        var settings = data.settings
        settings["encoder"] = encoderDirectory.standardizedFileURL.path
        settings["noisy_steps"] = String(noisySteps)
        let run = try TrainingRun(name: "train pixel-decoder", directory: data.runDirectory("pixel_decoder"),
                                  parameters: decoder.namedParameters(prefix: ""), options: options, settings: settings, resume: data.resume)
        let b = options.batchSize, side = config.imageSize
        let batches = try ImageBatchLoader(dataset: train, batchSize: b, seed: options.seed)
        let features = Tensor(zeros: [b, config.tokens, config.encoderWidth])
        let weights = Tensor(zeros: [b, 1, side, side])
        let objective = FAETrainingStep()
        let rowSize = config.tokens * config.encoderWidth
        let noiseScale = noiseScale * cache.rms, objectWeight = objectWeight, loss = loss, noisySteps = noisySteps
        try run.run(step: { step in
            let images = try batches.load(step: step)
            cache.gather(batches.indices, into: features)
            var input = features
            if step < noisySteps {
                var rng = RandomGenerator(seed: options.seed &+ 0x1A &+ UInt64(step) &* 0x9E37_79B9)
                for i in 0..<b {
                    let sigma = rng.uniform() * noiseScale, row = features.pointer + i * rowSize
                    for k in 0..<rowSize { row[k] += sigma * rng.normal() }
                }
            } else if let faeEncoder, let featureDecoder {
                input = featureDecoder.forward(faeEncoder.forward(features).mean)     // x_hat (B, N, C)
            }
            FAELosses.objectWeights(images: images, objectWeight: objectWeight, into: weights)
            let value = objective.pixel(decoder: decoder, features: input, images: images, weight: weights, loss: loss)
            return [("loss", value)]
        }, validate: validation.map { v in { _ in
            var figures = [("val_psnr_db_features", FeatureMetrics.meanPSNR(decoder.forward(v.features), v.images))]
            if let faeEncoder, let featureDecoder {
                let xHat = featureDecoder.forward(faeEncoder.forward(v.features).mean)
                figures.append(("val_psnr_db_chain", FeatureMetrics.meanPSNR(decoder.forward(xHat), v.images)))
            }
            return figures
        } })
        do {
            try decoder.save(directory: data.out.appendingPathComponent(FAEAutoencoder.pixelDecoderFolder))
        } catch { throw TrainingError(.cannotWrite, "\(error)", cause: error) }
    }
}
