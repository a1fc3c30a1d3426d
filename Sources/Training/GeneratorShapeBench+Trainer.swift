import Evaluation
import Models
import ShapesWorld
import Tokenizer

extension GeneratorShapeBench {
    /// ShapeBench on the trainer's own MMDiT and T5, so every call judges the weights they hold
    /// then (the EMA weights during a validation pass).
    public convenience init(trainer: GeneratorTrainer, tokenizer: SentencePieceTokenizer, fae: FAEAutoencoder,
                            world: ShapesWorld, prompts: [ShapeBenchPrompt]) throws {
        try self.init(generator: trainer.mmdit, textEncoder: trainer.textEncoder, statistics: trainer.statistics,
                      settings: trainer.generation, tokenizer: tokenizer, fae: fae, world: world, prompts: prompts)
    }

    /// ShapeBench on a flow trainer's own flow and T5, sampled at temperature 1 whatever the export
    /// will name: the curve follows the model's own distribution, comparable across runs.
    public convenience init(trainer: FlowTrainer, tokenizer: SentencePieceTokenizer, fae: FAEAutoencoder,
                            world: ShapesWorld, prompts: [ShapeBenchPrompt]) throws {
        var settings = trainer.generation
        settings.temperature = nil
        try self.init(flow: trainer.flow, textEncoder: trainer.textEncoder, statistics: trainer.statistics,
                      settings: settings, tokenizer: tokenizer, fae: fae, world: world, prompts: prompts)
    }
}
