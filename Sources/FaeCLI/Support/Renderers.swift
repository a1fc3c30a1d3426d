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
            // Loading checks the folder and reads generation.json once; no check beforehand.
            do {
                return try ModelImageRenderer(directory: try model.directory())
            } catch let error as TextToImageError where error.code == .incompleteModel {
                throw CLIError("\(error.message). \(ModelOption.trainHint), or use `--renderer reference`", cause: error)
            } catch let error as TextToImageError {
                throw CLIError("\(error.message). Use `--renderer reference` to render without the model", cause: error)
            }
        case .reference:
            return ReferenceImageRenderer(world: try ShapesWorld(promptsDirectory: ResourceLocator.promptsDirectory()))
        }
    }
}
