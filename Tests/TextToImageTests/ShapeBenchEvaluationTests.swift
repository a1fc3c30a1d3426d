import Evaluation
import Foundation
import Models
import ShapesWorld
import Testing
import TestSupport
import TextToImage

@Suite struct ShapeBenchEvaluationTests {
    static let prompts = [
        ShapeBenchPrompt(category: .single, prompt: "a red circle"),
        ShapeBenchPrompt(category: .counting, prompt: "three blue squares"),
        ShapeBenchPrompt(category: .position, prompt: "a green triangle to the left of a yellow diamond"),
        ShapeBenchPrompt(category: .background, prompt: "a purple circle on a black background"),
    ]

    static func world() throws -> ShapesWorld {
        try ShapesWorld(promptsDirectory: TestPaths.repositoryRoot.appendingPathComponent("prompts"))
    }

    /// The judge through the evaluator's plumbing: reference renders score 1 and are at FD 0 from themselves.
    @Test func referenceRendersScorePerfectly() throws {
        let world = try Self.world()
        let folder = try TinyModelFolder.make()
        let encoder = try Dinov2Model.load(directory: folder.appendingPathComponent(ModelLayout.encoderFolder))
        let evaluator = ShapeBenchEvaluator(world: world, features: ImageFeatureExtractor(encoder: encoder))
        var saved: [String] = [], verdicts: [ShapeBenchVerdict] = []
        let report = try evaluator.evaluate(prompts: Self.prompts, samples: 2, batch: 3, seed: 5, source: { prompts, seeds in
            try zip(prompts, seeds).map { try world.render(prompt: $0.0, seed: $0.1).1 }
        }, inspect: { _, verdict in
            saved.append("\(verdict.promptIndex)-\(verdict.sample)")
            verdicts.append(verdict)
        })
        #expect(report.images == 8)
        #expect(saved == ["0-0", "0-1", "1-0", "1-1", "2-0", "2-1", "3-0", "3-1"])
        #expect(report.overall == 1)
        #expect(report.categories == ["single": 1, "counting": 1, "position": 1, "background": 1])
        #expect(verdicts.map(\.seed) == Array(5..<13))
        #expect(verdicts.allSatisfy(\.correct) && report.score.failures.isEmpty)
        #expect(verdicts.map(\.parsed.objects.count) == [1, 1, 3, 3, 2, 2, 1, 1])
        let line = try JSONSerialization.jsonObject(with: JSONEncoder().encode(verdicts[4])) as? [String: Any]
        #expect(line?["prompt_index"] as? Int == 2 && line?["category"] as? String == "position")
        let objects = try #require(line?["objects"] as? [[String: Any]])
        #expect(Set(objects.compactMap { $0["shape"] as? String }) == ["triangle", "diamond"])
        #expect(Set(objects[0].keys) == ["shape", "color", "size", "row", "column", "x", "y", "area"])
        #expect(line?["correct"] as? Bool == true && line?["failure"] is NSNull)
        // 8 samples of 32-wide features: a rank-7 covariance, whose null space must add nothing.
        let fd = try #require(report.fd)
        #expect(abs(fd) < 1e-6, "\(fd)")
    }

    @Test func modelRunGivesEveryKey() throws {
        let world = try Self.world()
        let folder = try TinyModelFolder.make()
        let pipeline = try TextToImagePipeline(directory: folder)
        let encoder = try Dinov2Model.load(directory: folder.appendingPathComponent(ModelLayout.encoderFolder))
        let evaluator = ShapeBenchEvaluator(world: world, features: ImageFeatureExtractor(encoder: encoder))
        let report = try evaluator.evaluate(prompts: Self.prompts, batch: 4, source: { prompts, seeds in
            try pipeline.generate(prompts: prompts, seeds: seeds, configuration: PipelineTests.fast)
        })
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any]
        #expect(Set(json?.keys.map { $0 } ?? []) == ["overall", "categories", "failures", "standard_error", "fd", "images", "seconds"])
        // Every rejected image has one failure kind, so the kinds add up to the misses.
        let failed = report.score.failures.values.flatMap(\.values).reduce(0, +)
        let misses = report.score.total.map { $0.value - (report.score.correct[$0.key] ?? 0) }.reduce(0, +)
        #expect(failed == misses)
        #expect((0...1).contains(report.overall) && report.images == 4)
        #expect(try #require(report.fd) > 0)
    }
}
