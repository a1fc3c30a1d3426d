import ImageCodec
import Models
import Sampler
import ShapesWorld
import TensorEngine
import TextToImage

/// The images ShapeBench can judge (`eval shapebench --source`): the model's, the reference
/// renders themselves (a check of the judge), or the reference renders passed through the FAE
/// (the ceiling of the chain after the generator).
public enum ShapeBenchImageSources {
    public static func model(_ pipeline: TextToImagePipeline,
                             configuration: FlowSamplerConfiguration) -> ShapeBenchEvaluator.ImageSource {
        { prompts, seeds in
            try pipeline.generate(prompts: prompts, negativePrompts: [""], seeds: seeds, configuration: configuration)
        }
    }

    public static func references(_ world: ShapesWorld) -> ShapeBenchEvaluator.ImageSource {
        { prompts, seeds in try zip(prompts, seeds).map { try world.render(prompt: $0.0, seed: $0.1).1 } }
    }

    public static func reconstructions(_ autoencoder: FAEAutoencoder, world: ShapesWorld) -> ShapeBenchEvaluator.ImageSource {
        let references = references(world)
        let side = autoencoder.config.imageSize
        return { prompts, seeds in
            let renders = try references(prompts, seeds)
            let batch = Tensor(zeros: [renders.count, 3, side, side])   // (B, 3, S, S) in [-1, 1]
            try PixelNormalization.planes(of: renders, into: batch.buffer)
            let output = try autoencoder.reconstruct(batch)                // (B, 3, S, S)
            return try PixelNormalization.images(fromCHWBatch: UnsafeBufferPointer(output.buffer), side: side)
        }
    }
}
