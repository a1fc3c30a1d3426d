import Models
import Sampler
import ShapesWorld
import TextToImage
import Tokenizer

/// ShapeBench of a generator in training: the prompts go through the whole text-to-image pipeline,
/// built on the given MMDiT and T5 themselves (so it sees whatever weights they hold when called:
/// a trainer's) and the FAE's decoders, one image per prompt with fixed seeds and the default
/// sampler, and the scene parser judges them. `train generator` logs it at every validation with
/// the EMA weights in place: the learning curve of the figure the model is judged by, not only of
/// the loss.
public final class GeneratorShapeBench {
    public let prompts: [ShapeBenchPrompt]
    public var configuration = FlowSamplerConfiguration()
    public var seed: UInt64 = 0
    public var batchSize = 16
    private let pipeline: TextToImagePipeline
    private let evaluator: ShapeBenchEvaluator

    public convenience init(generator: MMDiT, textEncoder: T5Encoder, statistics: LatentStatistics, settings: GenerationSettings,
                            tokenizer: SentencePieceTokenizer, fae: FAEAutoencoder, world: ShapesWorld, prompts: [ShapeBenchPrompt]) throws {
        try self.init(settings: settings, fae: fae, world: world, prompts: prompts) { decoder in
            try TextToImagePipeline(tokenizer: tokenizer, textEncoder: textEncoder, generator: generator,
                                    statistics: statistics, settings: settings, decoder: decoder)
        }
    }

    /// The same on a normalizing flow.
    public convenience init(flow: TransformerFlow, textEncoder: T5Encoder, statistics: LatentStatistics, settings: GenerationSettings,
                            tokenizer: SentencePieceTokenizer, fae: FAEAutoencoder, world: ShapesWorld, prompts: [ShapeBenchPrompt]) throws {
        try self.init(settings: settings, fae: fae, world: world, prompts: prompts) { decoder in
            try TextToImagePipeline(tokenizer: tokenizer, textEncoder: textEncoder, flow: flow,
                                    statistics: statistics, settings: settings, decoder: decoder)
        }
    }

    /// `pipeline` builds the pipeline around the generator from the FAE's decoders.
    private init(settings: GenerationSettings, fae: FAEAutoencoder, world: ShapesWorld, prompts: [ShapeBenchPrompt],
                 pipeline: (TargetDecoder) throws -> TextToImagePipeline) throws {
        guard !prompts.isEmpty else { throw EvaluationError(.invalidArgument, "no ShapeBench prompts to render") }
        let target = settings.target
        do {
            let decoder = try TargetDecoder(target: target, featureDecoder: target == .latent ? fae.featureDecoder : nil,
                                            pixelDecoder: target == .pixels ? nil : fae.pixelDecoder)
            self.pipeline = try pipeline(decoder)
        } catch let error as TextToImageError {
            throw EvaluationError(.invalidModel, "cannot build the ShapeBench pipeline: \(error.message)", cause: error)
        }
        evaluator = ShapeBenchEvaluator(world: world, features: nil)
        self.prompts = prompts
    }

    /// Renders and judges every prompt once.
    public func score() throws -> ShapeBenchScore {
        let configuration = configuration
        return try evaluator.evaluate(prompts: prompts, samples: 1, batch: batchSize, seed: seed, source: { prompts, seeds in
            try self.pipeline.generate(prompts: prompts, seeds: seeds, configuration: configuration)
        }).score
    }

    /// The score as log figures: `val_shapebench` (overall) and `val_shapebench_<category>`.
    public func figures() throws -> [(String, Float)] {
        let score = try score()
        return [("val_shapebench", Float(score.overall))] + ShapeBenchCategory.allCases.compactMap { category in
            score.accuracy(category).map { ("val_shapebench_\(category.rawValue)", Float($0)) }
        }
    }
}
