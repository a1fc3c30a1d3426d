import Dataset
import Foundation
import Models
import TensorEngine

/// Stage 1, `train encoder`: masked image modelling of a DINOv2-architecture encoder on images
/// only (no captions, no labels). Exports `<out>/encoder/` in the Hugging Face DINOv2 layout.
public struct EncoderPretraining {
    public var config: Dinov2Config
    public var options: TrainingOptions
    public var data: StageData
    public var maskRatio = 0.5
    public var visibleWeight: Float = 1
    /// Validation images (from the held-out split).
    public var validationImages = 256

    public init(config: Dinov2Config, options: TrainingOptions, data: StageData) {
        self.config = config
        self.options = options
        self.data = data
    }

    /// The default shapes-64 encoder: patch 8 (8x8 tokens), width 192, 4 blocks, 3 heads.
    public static var shapesConfig: Dinov2Config {
        var c = Dinov2Config()
        c.hiddenSize = 192
        c.numHiddenLayers = 4
        c.numAttentionHeads = 3
        c.imageSize = SpatialSize(square: 64)
        c.patchSize = SpatialSize(square: 8)
        c.useMaskToken = true
        return c
    }

    public var exportDirectory: URL { data.out.appendingPathComponent(ModelLayout.encoderFolder) }

    @discardableResult
    public func run() throws -> URL {
        let side = config.imageSize.height
        let train = try data.openTrain(imageSize: side)
        let validation = try data.openValidation(imageSize: side)
        let encoder: Dinov2Model
        do { encoder = try Dinov2Model(config: config) } catch { throw TrainingError(.invalidArgument, "\(error)", cause: error) }
        let objective = try MaskedImageModeling(encoder: encoder, maskRatio: maskRatio, visibleWeight: visibleWeight)
        objective.initialize(seed: options.seed)
        var settings = data.settings
        settings["mask_ratio"] = String(maskRatio)
        let run = try TrainingRun(name: "train encoder", directory: data.runDirectory("encoder"), parameters: objective.namedParameters,
                                  options: options, settings: settings, resume: data.resume)
        let batches = try ImageBatchLoader(dataset: train, batchSize: options.batchSize, seed: options.seed)
        let valBatch = validation.map { v in Tensor(zeros: [min(validationImages, v.count), 3, side, side]) }
        if let validation, let valBatch { try validation.loadImages(indices: Array(0..<valBatch.dim(0)), into: valBatch.buffer, threads: Engine.threads) }
        try run.run(step: { step in
            // Masks depend only on (seed, step), so a resumed run draws the same ones.
            var rng = RandomGenerator(seed: options.seed &+ 0x5EED &+ UInt64(step) &* 0x9E37_79B9)
            let images = try batches.load(step: step)
            let r = try objective.step(images: images, rng: &rng)
            return [("loss", r.loss), ("masked_mse", r.masked), ("visible_mse", r.visible)]
        }, validate: valBatch.map { batch in { _ in try Self.validate(objective, batch: batch) } })
        do {
            try encoder.save(directory: exportDirectory)
        } catch {
            throw TrainingError(.cannotWrite, "\(error)", cause: error)
        }
        return exportDirectory
    }

    /// Masked loss (fixed masks) and the PSNR of the linear pixel read-out of unmasked tokens: how
    /// much pixel detail the features keep.
    static func validate(_ objective: MaskedImageModeling, batch: Tensor) throws -> [(String, Float)] {
        var rng = RandomGenerator(seed: 12345)
        let masked = try objective.step(images: batch, rng: &rng, train: false)
        let ratio = objective.maskRatio
        objective.maskRatio = 0
        defer { objective.maskRatio = ratio }
        let readout = try objective.step(images: batch, rng: &rng, train: false)
        // Pixels span [-1, 1]: peak-to-peak 2, so PSNR = 10 log10(4 / MSE).
        let psnr = 10 * log10(4 / max(readout.visible, 1e-12))
        return [("val_masked_mse", masked.masked), ("val_readout_psnr_db", psnr)]
    }
}
