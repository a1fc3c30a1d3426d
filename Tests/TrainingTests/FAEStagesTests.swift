import Dataset
import Evaluation
import Foundation
import Models
import ShapesWorld
import TensorEngine
import TestSupport
import Testing
@testable import Training

/// Each FAE stage on a tiny configuration: a few steps on a small generated dataset; the loss
/// must fall and the exported parts must load strictly into one `FAEAutoencoder`.
@Suite(.serialized) struct FAEStagesTests {
    static let grammar: ShapesGrammar = {
        do { return try ShapesGrammar.load(from: TestPaths.repositoryRoot.appendingPathComponent("prompts")) } catch {
            fatalError("cannot load the grammar: \(error)")
        }
    }()

    /// (train, eval) datasets of `count` images in a fresh folder.
    static func datasets(count: Int = 48) throws -> (root: URL, train: URL, eval: URL) {
        let root = try TestPaths.temporaryDirectory("fae-stages")
        var generator = DatasetGenerator(grammar: grammar)
        generator.threads = 1
        try generator.generate(count: count, seed: 1, split: .train, into: root.appendingPathComponent("train"))
        try generator.generate(count: 16, seed: 1, split: .eval, into: root.appendingPathComponent("eval"))
        return (root, root.appendingPathComponent("train"), root.appendingPathComponent("eval"))
    }

    static var tinyEncoder: Dinov2Config {
        var c = EncoderPretraining.shapesConfig
        c.hiddenSize = 32
        c.numHiddenLayers = 1
        c.numAttentionHeads = 2
        return c
    }

    static var tinyFAE: FAEConfig {
        var c = FAEConfig()
        c.encoderHeads = 2
        c.encoderHeadDim = 16
        c.latentChannels = 4
        c.featureDecoderWidth = 32
        c.featureDecoderDepth = 1
        c.featureDecoderHeads = 2
        return c
    }

    static func options(steps: Int, batch: Int = 8, lr: Float) -> TrainingOptions {
        var o = TrainingOptions(steps: steps, batchSize: batch, learningRate: lr, warmupSteps: 2)
        o.logInterval = 4
        o.validationInterval = 0
        return o
    }

    /// Training losses logged in `log.jsonl` (non-validation lines).
    static func losses(_ run: URL) throws -> [Double] {
        let text = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return object?["validation"] == nil ? object?["loss"] as? Double : nil
        }
    }

    @Test func allThreeStagesTrainAndTheirPartsLoadAsOneAutoencoder() throws {
        Engine.threads = 2
        let data = try Self.datasets()
        defer { try? FileManager.default.removeItem(at: data.root) }
        let model = data.root.appendingPathComponent("model")
        let stage = StageData(train: data.train, validation: data.eval, out: model, resume: false)

        try EncoderPretraining(config: Self.tinyEncoder, options: Self.options(steps: 12, lr: 3e-3), data: stage).run()
        let encoderLoss = try Self.losses(stage.runDirectory("encoder"))
        #expect(encoderLoss.count == 3)
        #expect(encoderLoss.last! < encoderLoss.first!)
        _ = try Dinov2Model.load(directory: model.appendingPathComponent("encoder"))

        let cache = stage.runDirectory("features.f32")
        var fae = FAETraining(config: Self.tinyFAE, options: Self.options(steps: 12, lr: 3e-3), data: stage,
                              encoderDirectory: model.appendingPathComponent("encoder"), featureCache: cache)
        fae.validationImages = 8
        try fae.run()
        let faeLoss = try Self.losses(stage.runDirectory("fae"))
        #expect(faeLoss.last! < faeLoss.first!)
        #expect(FileManager.default.fileExists(atPath: cache.path))

        var pixels = PixelDecoderTraining(options: Self.options(steps: 12, lr: 3e-3), data: stage,
                                          encoderDirectory: model.appendingPathComponent("encoder"), faeDirectory: model,
                                          featureCache: cache, noisySteps: 6)
        pixels.width = 32
        pixels.depth = 1
        pixels.mapChannels = 4
        pixels.validationImages = 8
        pixels.shapeBench = try ReconstructionShapeBench(world: ShapesWorld(grammar: Self.grammar),
                                                         prompts: Array(ShapeBench.prompts(grammar: Self.grammar).prefix(3)), side: 64, seed: 0)
        try pixels.run()
        let pixelLoss = try Self.losses(stage.runDirectory("pixel_decoder"))
        #expect(pixelLoss.last! < pixelLoss.first!)
        // With the FAE loaded, validation also goes through x_hat.
        let pixelLog = try String(contentsOf: stage.runDirectory("pixel_decoder").appendingPathComponent("log.jsonl"), encoding: .utf8)
        let validation = try #require(pixelLog.split(separator: "\n").last { $0.contains("\"validation\"") })
        for key in ["val_psnr_db_features", "val_psnr_db_chain", "val_shapebench_features", "val_shapebench_chain"] {
            #expect(validation.contains("\"\(key)\""), "\(key) missing from \(validation)")
        }

        let autoencoder = try FAEAutoencoder(directory: model)
        let images = Tensor(zeros: [2, 3, 64, 64])
        let out = try autoencoder.reconstruct(images)
        #expect(out.shape == [2, 3, 64, 64])
        #expect(out.values.allSatisfy { $0.isFinite })
    }

    @Test func theFeatureCacheIsReusedAndRebuiltForAnotherEncoder() throws {
        Engine.threads = 2
        let data = try Self.datasets(count: 20)
        defer { try? FileManager.default.removeItem(at: data.root) }
        let dataset = try ImageDataset.open(url: data.train)
        let encoderDirectory = data.root.appendingPathComponent("encoder")
        let encoder = try Dinov2Model(config: Self.tinyEncoder)
        encoder.initialize(seed: 3)
        try encoder.save(directory: encoderDirectory)
        let url = data.root.appendingPathComponent("cache.f32")
        var builds = 0
        let first = try FeatureCache.loadOrBuild(at: url, encoder: encoder, encoderDirectory: encoderDirectory, dataset: dataset,
                                                 batchSize: 8, log: { if $0.hasPrefix("encoding") { builds += 1 } })
        let again = try FeatureCache.loadOrBuild(at: url, encoder: encoder, encoderDirectory: encoderDirectory, dataset: dataset,
                                                 batchSize: 8, log: { if $0.hasPrefix("encoding") { builds += 1 } })
        #expect(builds == 1)
        #expect(Array(first.values) == Array(again.values), "the reloaded cache differs")
        #expect(first.header.tokens == 64 && first.header.width == 32 && first.count == 20)
        // The cached rows are the encoder's patch tokens of each image.
        let images = Tensor(zeros: [1, 3, 64, 64])
        try dataset.loadImages(indices: [5], into: images.buffer)
        let hidden = try encoder.forward(images)
        let row = Tensor(zeros: [1, 64, 32])
        FAEAutoencoder.copyPatchTokens(hidden, skip: 1, into: row)
        let gathered = Tensor(zeros: [1, 64, 32])
        again.gather([5], into: gathered)
        let largest = zip(gathered.values, row.values).map { abs($0 - $1) }.max() ?? 0
        #expect(largest < 1e-4, "cached features differ from a fresh forward by \(largest)")

        // Damaged files are refused with a clear error.
        try Data("not a cache".utf8).write(to: url)
        #expect(throws: TrainingError.self) { _ = try FeatureCache.load(url) }
    }

    @Test func stageIIWithoutATrainedFAEIsAClearError() throws {
        let data = try Self.datasets(count: 16)
        defer { try? FileManager.default.removeItem(at: data.root) }
        let out = data.root.appendingPathComponent("model")
        let stage = PixelDecoderTraining(options: Self.options(steps: 4, lr: 1e-3),
                                         data: StageData(train: data.train, validation: nil, out: out, resume: false),
                                         encoderDirectory: out.appendingPathComponent("encoder"), faeDirectory: nil,
                                         featureCache: out.appendingPathComponent("cache"), noisySteps: 2)
        let error = #expect(throws: TrainingError.self) { try stage.run() }
        #expect(error?.description.contains("train encoder") == true)
    }
}
