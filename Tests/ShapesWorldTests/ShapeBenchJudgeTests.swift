import ImageCodec
import Testing
@testable import ShapesWorld

@Test func judgeAcceptsReferenceRendersOfEveryPrompt() throws {
    let prompts = ShapeBench.prompts(grammar: testGrammar)
    let judge = ShapeBenchJudge(grammar: testGrammar)
    let parser = SceneParser(grammar: testGrammar)
    let world = ShapesWorld(grammar: testGrammar)
    var score = ShapeBenchScore()
    var failures: [String] = []
    for (index, prompt) in prompts.enumerated() {
        let (_, image) = try world.render(prompt: prompt.prompt, seed: UInt64(index))
        let parsed = parser.parse(image: try JPEG.decode(JPEG.encode(image, quality: 95)))
        let failure = try judge.failure(prompt, parsed: parsed)
        score.record(prompt.category, failure: failure)
        if let failure { failures.append("\(prompt.prompt): \(failure)") }
    }
    #expect(score.overall >= 0.99, "\(score); failures: \(failures.prefix(5))")
}

@Test func judgeRejectsWrongImagesAndSaysWhy() throws {
    let judge = ShapeBenchJudge(grammar: testGrammar)
    let parser = SceneParser(grammar: testGrammar)
    let world = ShapesWorld(grammar: testGrammar)
    let cases: [(ShapeBenchCategory, String, String, ShapeBenchFailure)] = [
        (.single, "a red circle", "a blue circle", .color),
        (.single, "a red circle", "a red square", .shape),
        (.single, "a red circle", "a blue square", .attributes),
        (.single, "a small red circle", "a large red circle", .placement),
        (.single, "a red circle", "a red circle and a blue square", .objectCount),
        (.counting, "three red circles", "two red circles", .objectCount),
        (.counting, "three red circles", "four red circles", .objectCount),
        (.position, "a red circle to the left of a blue square", "a red circle to the right of a blue square", .relation),
        (.position, "a red circle above a blue square", "a red circle below a blue square", .relation),
        // A swap of colours is also a swap of shapes; it counts as the shapes being wrong.
        (.colorAttribution, "a red circle and a blue square", "a blue circle and a red square", .shape),
        (.background, "a red circle on a black background", "a red circle on a white background", .background),
        (.colors, "a large yellow cross", "a large blue cross", .color),
        (.colors, "a large yellow cross", "a large yellow circle", .shape),
        (.colors, "a large yellow cross", "a large blue circle", .attributes),
    ]
    for (category, prompt, shown, reason) in cases {
        for seed in 0..<5 as Range<UInt64> {
            let (_, image) = try world.render(prompt: shown, seed: seed)
            let parsed = parser.parse(image: image)
            let benchPrompt = ShapeBenchPrompt(category: category, prompt: prompt)
            #expect(try !judge.isCorrect(benchPrompt, parsed: parsed), "\(prompt) vs \(shown)")
            #expect(try judge.failure(benchPrompt, parsed: parsed) == reason, "\(prompt) vs \(shown)")
        }
        let (_, image) = try world.render(prompt: prompt, seed: 1)
        #expect(try judge.isCorrect(ShapeBenchPrompt(category: category, prompt: prompt), parsed: parser.parse(image: image)), "\(prompt)")
    }
}

@Test func scoreIsTheMeanOfCategoryAccuracies() {
    var score = ShapeBenchScore()
    score.record(.single, failure: nil)
    score.record(.single, failure: .shape)
    score.record(.counting, failure: nil)
    #expect(score.accuracy(.single) == 0.5 && score.accuracy(.counting) == 1)
    #expect(score.failures == [.single: [.shape: 1]])
    #expect(score.overall == 0.75)
    #expect(score.accuracy(.novel) == nil)
    // single: 0.5 * 0.5 / 2; counting: 1 * 0 / 1; two categories.
    #expect(abs(score.standardError - (0.125).squareRoot() / 2) < 1e-12)
}

@Test func standardErrorShrinksWithTheSquareRootOfTheImages() {
    func score(passes: Int, fails: Int) -> ShapeBenchScore {
        var score = ShapeBenchScore()
        for _ in 0..<passes { score.record(.twoObjects, failure: nil) }
        for _ in 0..<fails { score.record(.twoObjects, failure: .objectCount) }
        return score
    }
    let small = score(passes: 3, fails: 7), large = score(passes: 300, fails: 700)
    #expect(abs(small.standardError - (0.21 / 10).squareRoot()) < 1e-12)
    #expect(abs(small.standardError / large.standardError - 10) < 1e-9)
    #expect(ShapeBenchScore().standardError == 0)
}
