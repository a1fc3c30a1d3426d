import Dataset
import Evaluation
import Foundation
import ShapesWorld
import TensorEngine
import TestSupport
import Testing

/// `eval fae`: every figure of the report is present and in range.
@Suite struct FAEEvaluationTests {
    @Test func everyFigureIsPresentAndInRange() throws {
        Engine.threads = 2
        let data = try EvaluationFixtures.datasets(train: 32, eval: 16)
        defer { try? FileManager.default.removeItem(at: data.root) }
        let grammar = EvaluationFixtures.grammar
        var evaluation = FAEEvaluation(model: try TinyFAE.make(), world: ShapesWorld(grammar: grammar),
                                       prompts: Array(ShapeBench.prompts(grammar: grammar).prefix(3)),
                                       evaluation: try ImageDataset.open(url: data.eval), probeTraining: try ImageDataset.open(url: data.train))
        evaluation.evaluationImages = 16
        evaluation.probeTrainingImages = 32
        let report = try evaluation.run(log: { _ in })
        #expect(report.images == 16)
        #expect(report.psnrDB > 0 && report.psnrDB < 100)
        #expect(report.featureCosine > -1 && report.featureCosine <= 1)
        #expect((0...1).contains(report.probeAccEncoder) && (0...1).contains(report.probeAccFAE))
        #expect((0...1).contains(report.reconShapeBench))
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        for key in ["psnr_db", "feature_cosine", "probe_acc_encoder", "probe_acc_fae", "recon_shapebench"] {
            #expect(json?[key] != nil, "missing \(key)")
        }
    }
}
