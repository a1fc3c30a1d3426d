import ImageCodec
import Testing
@testable import ShapesWorld

/// The grader is the judge's loop: the same verdict per image and the same score.
@Test func graderGivesTheJudgesVerdictsAndScore() throws {
    let prompts = ShapeBench.prompts(grammar: testGrammar).enumerated().filter { $0.offset % 7 == 0 }.map(\.element)
    let world = ShapesWorld(grammar: testGrammar)
    let judge = ShapeBenchJudge(grammar: testGrammar), parser = SceneParser(grammar: testGrammar)
    // Each prompt judged against its own render and against the next prompt's: passes and failures.
    let images = try prompts.indices.map { try world.render(prompt: prompts[($0 + $0 % 2) % prompts.count].prompt, seed: UInt64($0)).1 }
    var expected = ShapeBenchScore()
    let failures = try zip(prompts, images).map { prompt, image in
        let failure = try judge.failure(prompt, parsed: parser.parse(image: image))
        expected.record(prompt.category, failure: failure)
        return failure
    }
    let grader = ShapeBenchGrader(grammar: testGrammar)
    var score = ShapeBenchScore()
    let verdicts = grader.grade(images, specs: try grader.specs(of: prompts), categories: prompts.map(\.category), into: &score)
    #expect(verdicts.map(\.failure) == failures)
    #expect(verdicts.map(\.parsed) == images.map { parser.parse(image: $0) })
    #expect(score == expected)
    #expect(failures.contains(nil) && failures.contains { $0 != nil })
}
