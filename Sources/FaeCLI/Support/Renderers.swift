import ArgumentParser
import FaeResources
import ShapesWorld
import Worker

/// The renderers a worker or `render` can use.
enum RendererKind: String, ExpressibleByArgument, CaseIterable {
    case reference

    func make() throws -> ImageRenderer {
        switch self {
        case .reference:
            return ReferenceImageRenderer(world: try ShapesWorld(promptsDirectory: ResourceLocator.promptsDirectory()))
        }
    }
}
