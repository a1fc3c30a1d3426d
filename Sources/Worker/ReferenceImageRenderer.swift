import Foundation
import Generation
import ImageCodec
import ShapesWorld

/// Draws the shapes world's procedural ground truth: the prompt's scene, with unspecified
/// attributes drawn from each image's seed.
public final class ReferenceImageRenderer: ImageRenderer {
    public let modelID = "reference"
    public let weightsHash: String? = nil
    let world: ShapesWorld

    public init(world: ShapesWorld) {
        self.world = world
    }

    public func render(_ parameters: GenerationParameters, progress: (Int, Int) throws -> Void) throws -> RenderedImages {
        var images: [RGBImage] = []
        for (index, seed) in parameters.seeds.enumerated() {
            try progress(index, parameters.count)
            do {
                images.append(try world.render(prompt: parameters.prompt, seed: UInt64(bitPattern: seed)).1)
            } catch let error as ShapesWorldError {
                throw WorkerError.invalidPrompt(error.description)
            }
        }
        try progress(parameters.count, parameters.count)
        return RenderedImages(images: images)
    }
}
