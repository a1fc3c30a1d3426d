import Dataset
import Evaluation
import Foundation
import Models
import TensorEngine

/// Stage 3, `train pixel-decoder`. Stage Ia (the first `noisySteps` steps): the decoder reads the
/// frozen encoder's features plus Gaussian noise whose scale is drawn per image from
/// U(0, noiseScale) x the features' RMS, so it learns to tolerate the FAE's reconstruction error.
/// Stage II (the remaining steps): it reads the FAE's reconstructions x_hat = D(E(x)) (posterior
/// mean), the features it will see at generation time. Loss: L1 with object pixels weighted.
/// Exports `<out>/pixel_decoder/`. With `input = .pixels` the decoder reads the image's patches
/// instead (a diagnostic of the decoder's own ceiling), exported to `<out>/pixel_decoder_from_pixels/`.
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
    /// `.pixels`: the diagnostic decoder that reads the image's own patches (see `PixelDecoderInput`).
    public var input: PixelDecoderInput = .features
    /// When set, every validation also scores ShapeBench on the decoder's reconstructions.
    public var shapeBench: ReconstructionShapeBench?

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
        if let faeDirectory, input == .features {
            do {
                faeEncoder = try FAEEncoder.load(directory: faeDirectory.appendingPathComponent(ModelLayout.faeEncoderFolder))
                featureDecoder = try FeatureDecoder.load(directory: faeDirectory.appendingPathComponent(ModelLayout.featureDecoderFolder))
            } catch {
                throw TrainingError(.missingInput, "cannot load the FAE from \(faeDirectory.path) (run `fae-t2i train fae` first): \(error)", cause: error)
            }
            config = faeEncoder!.config
            for p in faeEncoder!.parameters + featureDecoder!.parameters { p.frozen = true }
            featureDecoder!.needsInputGradient = false
        } else {
            guard noisySteps >= options.steps || input == .pixels else {
                throw TrainingError(.missingInput, "stage II needs the trained FAE: pass --fae DIR, or set --noisy-steps to --steps")
            }
            config = try frozen.faeConfig(imageSize: 64, base: FAEConfig())
        }
        if let width { config.pixelDecoderWidth = width }
        if let depth { config.pixelDecoderDepth = depth }
        if let mapChannels { config.pixelDecoderMapChannels = mapChannels }
        // Heads of 64 channels, as the default (256 wide, 4 heads).
        config.pixelDecoderHeads = max(1, config.pixelDecoderWidth / 64)
        if input == .pixels { config.encoderWidth = config.patchSize * config.patchSize * config.imageChannels }
        if let problem = config.problem { throw TrainingError(.invalidArgument, "pixel decoder config: \(problem)") }
        let train = try data.openTrain(imageSize: config.imageSize)
        let cache = input == .features
            ? try frozen.features(of: train, cache: featureCache, log: { TrainingOutput.note("train pixel-decoder: \($0)") }) : nil
        // What the decoder reads for given images, (n, 3, H, W) -> (n, N, C).
        let decoderInput: (Tensor) throws -> Tensor = { [input] images in
            if input == .features { return try frozen.features(of: images, tokens: config.tokens) }
            let tokens = Tensor(zeros: [images.dim(0), config.tokens, config.encoderWidth])
            Self.patchify(images, config: config, into: tokens)
            return tokens
        }
        let validation = try data.openValidation(imageSize: config.imageSize).map { dataset in
            let images = try FrozenEncoder.images(ofFirst: validationImages, in: dataset)
            return (images: images, inputs: try decoderInput(images))
        }
        // The renders are fixed and the encoder frozen: their decoder inputs are made once.
        let benchInputs = try shapeBench.map { try decoderInput($0.renders) }
        // With the frozen FAE loaded, x_hat of those fixed inputs is made once too.
        func reconstructedByFAE(_ inputs: Tensor?) -> Tensor? {
            guard let inputs, let faeEncoder, let featureDecoder else { return nil }
            return Self.reconstructed(inputs, faeEncoder: faeEncoder, featureDecoder: featureDecoder)
        }
        let validationXHat = reconstructedByFAE(validation?.inputs), benchXHat = reconstructedByFAE(benchInputs)

        let decoder: PixelDecoder
        do { decoder = try PixelDecoder(config: config) } catch { throw TrainingError(.invalidArgument, "\(error)", cause: error) }
        decoder.initialize(seed: options.seed &+ 2)
        decoder.needsInputGradient = false
        var settings = data.settings
        settings["encoder"] = encoderDirectory.standardizedFileURL.path
        settings["noisy_steps"] = String(noisySteps)
        settings["input"] = input.rawValue
        let run = try TrainingRun(name: "train pixel-decoder", directory: data.runDirectory(input.folder),
                                  parameters: decoder.namedParameters(prefix: ""), options: options, settings: settings, resume: data.resume)
        let b = options.batchSize, side = config.imageSize
        let batches = try ImageBatchLoader(dataset: train, batchSize: b, seed: options.seed)
        let tokens = Tensor(zeros: [b, config.tokens, config.encoderWidth])            // (B, N, C) decoder input
        let weights = Tensor(zeros: [b, 1, side, side])
        let objective = FAETrainingStep()
        let rowSize = config.tokens * config.encoderWidth
        let noiseScale = noiseScale * (cache?.rms ?? 0), objectWeight = objectWeight, loss = loss, noisySteps = noisySteps
        try run.run(step: { step in
            let images = try batches.load(step: step)
            var decoderInput = tokens
            if let cache {
                cache.gather(batches.indices, into: tokens)
                if step < noisySteps {
                    var rng = RandomGenerator(seed: options.seed &+ 0x1A &+ UInt64(step) &* 0x9E37_79B9)
                    for i in 0..<b {
                        let sigma = rng.uniform() * noiseScale, row = tokens.pointer + i * rowSize
                        for k in 0..<rowSize { row[k] += sigma * rng.normal() }
                    }
                } else if let faeEncoder, let featureDecoder {
                    decoderInput = featureDecoder.forward(faeEncoder.forward(tokens).mean)     // x_hat (B, N, C)
                }
            } else {
                Self.patchify(images, config: config, into: tokens)
            }
            FAELosses.objectWeights(images: images, objectWeight: objectWeight, into: weights)
            let value = objective.pixel(decoder: decoder, features: decoderInput, images: images, weight: weights, loss: loss)
            return [("loss", value)]
        }, validate: validation.map { v in { _ in
            var figures = [("val_psnr_db_\(input.rawValue)", FeatureMetrics.meanPSNR(decoder.forward(v.inputs), v.images))]
            if let xHat = validationXHat {
                figures.append(("val_psnr_db_chain", FeatureMetrics.meanPSNR(decoder.forward(xHat), v.images)))
            }
            if let shapeBench, let benchInputs {
                let direct = try shapeBench.score { decoder.forward(benchInputs.slice(first: $0)) }
                figures.append(("val_shapebench_\(input.rawValue)", Float(direct.overall)))
                if let xHat = benchXHat {
                    let chain = try shapeBench.score { decoder.forward(xHat.slice(first: $0)) }
                    figures.append(("val_shapebench_chain", Float(chain.overall)))
                }
            }
            return figures
        } })
        do {
            try decoder.save(directory: data.out.appendingPathComponent(input.folder))
        } catch { throw TrainingError(.cannotWrite, "\(error)", cause: error) }
    }

    /// x_hat = featureDecoder(faeEncoder(features).mean) of fixed features (n, N, C) -> (n, N, C),
    /// in batches of 64 copied out of the layers' reused buffers.
    static func reconstructed(_ features: Tensor, faeEncoder: FAEEncoder, featureDecoder: FeatureDecoder) -> Tensor {
        let out = Tensor(zeros: features.shape), n = features.dim(0)
        for begin in stride(from: 0, to: n, by: 64) {
            let rows = begin..<min(begin + 64, n)
            out.slice(first: rows).copy(from: featureDecoder.forward(faeEncoder.forward(features.slice(first: rows)).mean))
        }
        return out
    }

    /// images (B, 3, H, W) -> tokens (B, N, 3*p*p), each token its patch laid out (c, py, px).
    static func patchify(_ images: Tensor, config: FAEConfig, into tokens: Tensor) {
        Ops.unpatchifyBackward(dMap: images, channels: config.imageChannels, patch: config.patchSize,
                               gridHeight: config.gridSize, gridWidth: config.gridSize, dTokens: tokens)
    }
}
