import Evaluation
import ShapesWorld
import TensorEngine
import Testing

/// ShapeBench on reconstructions: the judge sees the reference renders through a reconstruction.
@Suite struct ReconstructionShapeBenchTests {
    static let prompts = Array(ShapeBench.prompts(grammar: EvaluationFixtures.grammar).prefix(10))

    @Test func scoresTheRendersThemselvesPerfectlyAndABlankImageNot() throws {
        var bench = try ReconstructionShapeBench(world: ShapesWorld(grammar: EvaluationFixtures.grammar), prompts: Self.prompts, side: 64, seed: 0)
        bench.batchSize = 4                                      // several batches, the last one short
        var batches = 0
        let identity = try bench.score { images in
            batches += 1
            let copy = Tensor(zeros: images.shape)
            copy.pointer.update(from: images.pointer, count: images.count)
            return copy
        }
        #expect(batches == 3)
        #expect(identity.overall == 1, "reference renders judged \(identity)")
        let blank = try bench.score { Tensor(zeros: $0.shape) }  // uniform grey: no objects at all
        #expect(blank.overall == 0, "a blank image judged \(blank)")
    }
}
