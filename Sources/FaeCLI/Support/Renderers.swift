import ArgumentParser
import FaeResources
import Foundation
import ShapesWorld
import TextToImage
import Worker

/// The renderers a worker or `render` can use: the trained model (default) or the shapes world's
/// procedural reference.
enum RendererKind: String, ExpressibleByArgument, CaseIterable {
    case model
    case reference

    func make(model: ModelOption) throws -> ImageRenderer {
        switch self {
        case .model:
            let directory = try model.completeDirectory(hint: "\(ModelOption.trainHint), or use `--renderer reference`")
            do {
                return try ModelImageRenderer(directory: directory)
            } catch let error as TextToImageError {
                throw CLIError("\(error.message). Use `--renderer reference` to render without the model")
            }
        case .reference:
            return ReferenceImageRenderer(world: try ShapesWorld(promptsDirectory: ResourceLocator.promptsDirectory()))
        }
    }
}
