import ImageCodec

/// Grades images on ShapeBench: the scene parser reads each image, the judge compares what it found
/// with the image's prompt, and every verdict goes into a score. The one loop behind
/// `eval shapebench`, the generator's validation figure and the reconstruction ceiling.
public struct ShapeBenchGrader: Sendable {
    public let judge: ShapeBenchJudge
    public let sceneParser: SceneParser

    public init(grammar: ShapesGrammar) {
        judge = ShapeBenchJudge(grammar: grammar)
        sceneParser = SceneParser(grammar: grammar)
    }

    /// The prompts parsed once, however many images are graded against each; throws if one does
    /// not parse.
    public func specs(of prompts: [ShapeBenchPrompt]) throws -> [SceneSpec] {
        try prompts.map { try judge.parser.parse($0.prompt) }
    }

    /// Grades `images[i]` against `specs[i]` in `categories[i]`, records each verdict in `score`,
    /// and returns what the parser saw in each image and why it failed (nil: it passed).
    public func grade(_ images: [RGBImage], specs: [SceneSpec], categories: [ShapeBenchCategory],
                      into score: inout ShapeBenchScore) -> [(parsed: ParsedScene, failure: ShapeBenchFailure?)] {
        precondition(images.count == specs.count && specs.count == categories.count,
                     "\(images.count) images for \(specs.count) specs in \(categories.count) categories")
        return zip(images, zip(specs, categories)).map { image, prompt in
            let parsed = sceneParser.parse(image: image)
            let failure = judge.failure(prompt.0, category: prompt.1, parsed: parsed)
            score.record(prompt.1, failure: failure)
            return (parsed, failure)
        }
    }
}
