import Foundation
import ImageCodec
import ShapesWorld

/// Runs ShapeBench: every prompt `samples` times (image k of prompt p gets seed `seed + p * samples + k`),
/// in batches, through any image source (the model, or the reference renderer to check the judge);
/// the scene parser and the judge score each image against its prompt and category. With a feature
/// extractor it also computes FD against reference renders of the same prompts and seeds.
public struct ShapeBenchEvaluator {
    /// Draws one image per (prompt, seed) pair.
    public typealias ImageSource = (_ prompts: [String], _ seeds: [UInt64]) throws -> [RGBImage]

    public let world: ShapesWorld
    public let grader: ShapeBenchGrader
    public let features: ImageFeatureExtractor?

    public init(world: ShapesWorld, features: ImageFeatureExtractor?) {
        self.world = world
        self.grader = ShapeBenchGrader(grammar: world.grammar)
        self.features = features
    }

    /// `inspect(image, verdict)` sees every generated image with the judge's verdict (e.g. to write
    /// both); `progress(done, total)` follows the images.
    public func evaluate(prompts: [ShapeBenchPrompt], samples: Int = 1, batch: Int = 16, seed: UInt64 = 0,
                         source: ImageSource,
                         inspect: ((RGBImage, ShapeBenchVerdict) throws -> Void)? = nil,
                         progress: ((Int, Int) -> Void)? = nil) throws -> ShapeBenchReport {
        guard samples >= 1, batch >= 1 else { throw EvaluationError(.invalidArgument, "samples and batch must be at least 1") }
        let started = Date()
        let specs = try grader.specs(of: prompts)
        let work = prompts.indices.flatMap { p in (0..<samples).map { (p, $0) } }
        var score = ShapeBenchScore()
        var generated: [[Double]] = [], reference: [[Double]] = []
        var done = 0
        for start in stride(from: 0, to: work.count, by: batch) {
            let chunk = work[start..<min(start + batch, work.count)]
            let seeds = chunk.map { seed &+ UInt64($0.0 * samples + $0.1) }
            let images = try source(chunk.map { prompts[$0.0].prompt }, seeds)
            guard images.count == chunk.count else {
                throw EvaluationError(.invalidSource, "the image source returned \(images.count) images for \(chunk.count) prompts")
            }
            let verdicts = grader.grade(images, specs: chunk.map { specs[$0.0] }, categories: chunk.map { prompts[$0.0].category },
                                        into: &score)
            for (image, (verdict, ((p, k), imageSeed))) in zip(images, zip(verdicts, zip(chunk, seeds))) {
                try inspect?(image, ShapeBenchVerdict(promptIndex: p, sample: k, seed: imageSeed, category: prompts[p].category,
                                                      prompt: prompts[p].prompt, failure: verdict.failure, parsed: verdict.parsed))
            }
            if let features {
                generated += try features.features(images)
                let references = try zip(chunk, seeds).map { try world.render(prompt: prompts[$0.0.0].prompt, seed: $0.1).1 }
                reference += try features.features(references)
            }
            done += chunk.count
            progress?(done, work.count)
        }
        let fd = features != nil && work.count >= 2 ? FrechetDistance.distance(generated, reference) : nil
        return ShapeBenchReport(score: score, fd: fd, images: work.count, seconds: Date().timeIntervalSince(started))
    }
}
