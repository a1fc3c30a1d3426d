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
        let verdict = try judge.isCorrect(prompt, parsed: parsed)
        score.record(prompt.category, correct: verdict)
        if !verdict { failures.append(prompt.prompt) }
    }
    #expect(score.overall >= 0.99, "\(score); failures: \(failures.prefix(5))")
}

@Test func judgeRejectsWrongImages() throws {
    let judge = ShapeBenchJudge(grammar: testGrammar)
    let parser = SceneParser(grammar: testGrammar)
    let world = ShapesWorld(grammar: testGrammar)
    let cases: [(ShapeBenchCategory, String, String)] = [
        (.single, "a red circle", "a blue circle"),
        (.single, "a red circle", "a red square"),
        (.single, "a red circle", "a red circle and a blue square"),
        (.counting, "three red circles", "two red circles"),
        (.counting, "three red circles", "four red circles"),
        (.position, "a red circle to the left of a blue square", "a red circle to the right of a blue square"),
        (.position, "a red circle above a blue square", "a red circle below a blue square"),
        (.colorAttribution, "a red circle and a blue square", "a blue circle and a red square"),
        (.background, "a red circle on a black background", "a red circle on a white background"),
        (.colors, "a large yellow cross", "a large blue cross"),
    ]
    for (category, prompt, shown) in cases {
        for seed in 0..<5 as Range<UInt64> {
            let (_, image) = try world.render(prompt: shown, seed: seed)
            #expect(try !judge.isCorrect(ShapeBenchPrompt(category: category, prompt: prompt), parsed: parser.parse(image: image)), "\(prompt) vs \(shown)")
        }
        let (_, image) = try world.render(prompt: prompt, seed: 1)
        #expect(try judge.isCorrect(ShapeBenchPrompt(category: category, prompt: prompt), parsed: parser.parse(image: image)), "\(prompt)")
    }
}

@Test func scoreIsTheMeanOfCategoryAccuracies() {
    var score = ShapeBenchScore()
    score.record(.single, correct: true)
    score.record(.single, correct: false)
    score.record(.counting, correct: true)
    #expect(score.accuracy(.single) == 0.5 && score.accuracy(.counting) == 1)
    #expect(score.overall == 0.75)
    #expect(score.accuracy(.novel) == nil)
}
