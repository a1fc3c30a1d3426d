import Dataset
import Evaluation
import Foundation
import Models
import ShapesWorld
import TensorEngine
import TestSupport
import Testing
@testable import Training

/// The decoder-reads-pixels diagnostic, with its reconstruction-ShapeBench learning curve.
@Suite(.serialized) struct PixelDecoderDiagnosticsTests {
    static let prompts = Array(ShapeBench.prompts(grammar: FAEStagesTests.grammar).prefix(10))

    @Test func theDecoderReadingPixelsTrainsIntoItsOwnFolderAndLogsShapeBench() throws {
        Engine.threads = 2
        let data = try FAEStagesTests.datasets(count: 24)
        defer { try? FileManager.default.removeItem(at: data.root) }
        let model = data.root.appendingPathComponent("model")
        let encoder = try Dinov2Model(config: FAEStagesTests.tinyEncoder)
        encoder.initialize(seed: 5)
        try encoder.save(directory: model.appendingPathComponent("encoder"))
        let stageData = StageData(train: data.train, validation: data.eval, out: model, resume: false)
        var stage = PixelDecoderTraining(options: FAEStagesTests.options(steps: 12, lr: 3e-3), data: stageData,
                                         encoderDirectory: model.appendingPathComponent("encoder"), faeDirectory: nil,
                                         featureCache: model.appendingPathComponent("unused.f32"), noisySteps: 0)
        stage.input = .pixels
        stage.width = 32
        stage.depth = 1
        stage.mapChannels = 4
        stage.validationImages = 8
        stage.shapeBench = try ReconstructionShapeBench(world: ShapesWorld(grammar: FAEStagesTests.grammar),
                                                        prompts: Array(Self.prompts.prefix(3)), side: 64, seed: 0)
        try stage.run()

        let run = stageData.runDirectory("pixel_decoder_from_pixels")
        let losses = try FAEStagesTests.losses(run)
        #expect(losses.last! < losses.first!)
        let log = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
        #expect(log.contains("val_shapebench_pixels") && log.contains("val_psnr_db_pixels"))
        // It reads 8x8x3 patches, needs no feature cache and never replaces the model's decoder.
        let decoder = try PixelDecoder.load(directory: model.appendingPathComponent("pixel_decoder_from_pixels"))
        #expect(decoder.config.encoderWidth == 192)
        #expect(!FileManager.default.fileExists(atPath: model.appendingPathComponent("pixel_decoder").path))
        #expect(!FileManager.default.fileExists(atPath: model.appendingPathComponent("unused.f32").path))
    }
}
