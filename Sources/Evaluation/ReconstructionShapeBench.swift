import ImageCodec
import ShapesWorld
import TensorEngine

/// ShapeBench on reconstructions: reference renders of the prompts (one per prompt, rendered once),
/// passed through a reconstruction function, judged by the scene parser. `eval fae` reports it for
/// the whole chain; the pixel-decoder stage logs it as a learning curve.
public struct ReconstructionShapeBench {
    public let prompts: [ShapeBenchPrompt]
    /// The reference renders, (P, 3, side, side) in the model's pixel range.
    public let renders: Tensor
    public var batchSize = 64
    private let grader: ShapeBenchGrader
    private let specs: [SceneSpec]

    /// Renders prompt i with seed `seed + i`.
    public init(world: ShapesWorld, prompts: [ShapeBenchPrompt], side: Int, seed: UInt64) throws {
        let images = try prompts.enumerated().map { try world.render(prompt: $0.element.prompt, seed: seed &+ UInt64($0.offset)).1 }
        guard let first = images.first else { throw EvaluationError(.invalidArgument, "no ShapeBench prompts to render") }
        guard first.width == side, first.height == side else {
            throw EvaluationError(.invalidArgument, "the shapes world renders \(first.width)x\(first.height), the model reads \(side)x\(side)")
        }
        renders = Tensor(zeros: [images.count, 3, side, side])
        try PixelNormalization.planes(of: images, into: renders.buffer)
        self.prompts = prompts
        grader = ShapeBenchGrader(grammar: world.grammar)
        specs = try grader.specs(of: prompts)
    }

    /// `reconstruct` maps a batch of renders (n, 3, H, W) to images of the same shape.
    public func score(reconstruct: (Tensor) throws -> Tensor) throws -> ShapeBenchScore {
        try score(batches: { try reconstruct(renders.slice(first: $0)) })
    }

    /// `reconstructBatch` maps a range of prompts to the reconstructions of their renders
    /// (range.count, 3, H, W); for callers that keep their own per-render inputs (e.g. features).
    public func score(batches reconstructBatch: (Range<Int>) throws -> Tensor) throws -> ShapeBenchScore {
        let side = renders.dim(2)
        var score = ShapeBenchScore()
        for begin in stride(from: 0, to: prompts.count, by: batchSize) {
            let range = begin..<min(begin + batchSize, prompts.count)
            let out = try reconstructBatch(range)
            precondition(out.shape == [range.count, 3, side, side], "reconstruction has shape \(out.shape)")
            let images = try PixelNormalization.images(fromCHWBatch: UnsafeBufferPointer(out.buffer), side: side)
            _ = grader.grade(images, specs: Array(specs[range]), categories: prompts[range].map(\.category), into: &score)
        }
        return score
    }
}
