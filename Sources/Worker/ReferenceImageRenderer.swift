import Foundation
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

    public func render(_ request: RenderRequest, progress: (Int, Int) throws -> Void) throws -> [RGBImage] {
        var images: [RGBImage] = []
        for (index, seed) in request.seeds.enumerated() {
            try progress(index, request.seeds.count)
            do {
                images.append(try world.render(prompt: request.prompt, seed: UInt64(bitPattern: seed)).1)
            } catch let error as ShapesWorldError {
                throw WorkerError.invalidPrompt(error.description)
            }
        }
        try progress(request.seeds.count, request.seeds.count)
        return images
    }
}
