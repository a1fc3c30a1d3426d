import Dataset
import Foundation
import Models
import ShapesWorld
import TensorEngine

/// `eval fae`: reconstruction, feature fidelity, understanding retained (linear probes) and the
/// reconstruction ceiling (ShapeBench on reconstructed reference renders).
public struct FAEEvaluation {
    public let model: FAEAutoencoder
    public let world: ShapesWorld
    public let prompts: [ShapeBenchPrompt]
    /// Held-out images for PSNR, cosine and the probe's test set (generated scenes).
    public let evaluation: ImageDataset
    /// Images the probes are trained on (generated scenes of the training split).
    public let probeTraining: ImageDataset
    public var evaluationImages = 2000
    public var probeTrainingImages = 4000
    public var batchSize = 64
    /// Seed of the reference renders of the ShapeBench prompts.
    public var seed: UInt64 = 0

    public init(model: FAEAutoencoder, world: ShapesWorld, prompts: [ShapeBenchPrompt], evaluation: ImageDataset, probeTraining: ImageDataset) {
        self.model = model
        self.world = world
        self.prompts = prompts
        self.evaluation = evaluation
        self.probeTraining = probeTraining
    }

    public func run(log: (String) -> Void) throws -> FAEEvaluationReport {
        let start = Date()
        let grid = model.config.gridSize
        log("held-out reconstructions")
        let test = try encode(evaluation, count: min(evaluationImages, evaluation.count), reconstruct: true)
        log("probe training features")
        let train = try encode(probeTraining, count: min(probeTrainingImages, probeTraining.count), reconstruct: false)
        let probe = CentreCellProbe(grammar: world.grammar)
        log("linear probes")
        let fromEncoder = probe.accuracy(train: train.features, trainScenes: train.scenes, test: test.features, testScenes: test.scenes, grid: grid)
        let fromFAE = probe.accuracy(train: train.xHat, trainScenes: train.scenes, test: test.xHat, testScenes: test.scenes, grid: grid)
        let accEncoder = (fromEncoder.shape + fromEncoder.color) / 2, accFAE = (fromFAE.shape + fromFAE.color) / 2
        log("ShapeBench on reconstructions (\(prompts.count) prompts)")
        let bench = try reconstructionShapeBench()
        var categories: [String: Double] = [:]
        for category in ShapeBenchCategory.allCases { if let a = bench.accuracy(category) { categories[category.rawValue] = a } }
        return FAEEvaluationReport(
            psnrDB: test.psnr, featureCosine: test.cosine, probeAccEncoder: accEncoder, probeAccFAE: accFAE,
            probeRatio: accEncoder > 0 ? accFAE / accEncoder : 0, reconShapeBench: bench.overall,
            reconShapeBenchCategories: categories,
            probeDetail: ["shape_encoder": fromEncoder.shape, "color_encoder": fromEncoder.color, "shape_fae": fromFAE.shape, "color_fae": fromFAE.color],
            images: test.scenes.count, seconds: Date().timeIntervalSince(start))
    }

    struct Encoded {
        var features: Tensor, xHat: Tensor, scenes: [Scene], psnr: Float, cosine: Float
    }

    /// Features and x_hat of the first `count` images (and reconstruction figures when asked).
    func encode(_ dataset: ImageDataset, count: Int, reconstruct: Bool) throws -> Encoded {
        let c = model.config, side = dataset.imageSize
        guard side == c.imageSize else {
            throw EvaluationError(.invalidData, "\(dataset.url.path) holds \(side)x\(side) images, the model reads \(c.imageSize)x\(c.imageSize)")
        }
        let features = Tensor(zeros: [count, c.tokens, c.encoderWidth]), xHat = Tensor(zeros: features.shape)
        let images = Tensor(zeros: [batchSize, 3, side, side])
        var scenes: [Scene] = [], psnrSum = 0.0
        for begin in stride(from: 0, to: count, by: batchSize) {
            let n = min(batchSize, count - begin)
            let batch = images.slice(first: 0..<n)
            try dataset.loadImages(indices: Array(begin..<(begin + n)), into: batch.buffer, threads: Engine.threads)
            for i in begin..<(begin + n) {
                guard let scene = try dataset.scene(at: i) else {
                    throw EvaluationError(.invalidData, "\(dataset.url.path) has no scene descriptions (generate it with `fae-t2i data generate`); the probes need them")
                }
                scenes.append(scene)
            }
            let x = try model.features(batch)
            let rows = n * c.tokens * c.encoderWidth
            (features.pointer + begin * c.tokens * c.encoderWidth).update(from: x.pointer, count: rows)
            let latents = model.latents(fromFeatures: x)
            let reconstructed = model.featureDecoder.forward(latents)
            (xHat.pointer + begin * c.tokens * c.encoderWidth).update(from: reconstructed.pointer, count: rows)
            if reconstruct {
                psnrSum += Double(FeatureMetrics.meanPSNR(model.pixelDecoder.forward(reconstructed), batch)) * Double(n)
            }
        }
        return Encoded(features: features, xHat: xHat, scenes: scenes, psnr: Float(psnrSum / Double(count)),
                       cosine: FeatureMetrics.meanCosine(xHat, features))
    }

    /// Reference renders of the prompts -> encoder -> latent -> decoders -> scene parser.
    public func reconstructionShapeBench() throws -> ShapeBenchScore {
        var bench = try ReconstructionShapeBench(world: world, prompts: prompts, side: model.config.imageSize, seed: seed)
        bench.batchSize = batchSize
        return try bench.score(reconstruct: model.reconstruct)
    }
}
