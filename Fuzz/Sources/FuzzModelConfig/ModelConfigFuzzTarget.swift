import Foundation
import FuzzSupport
import Models
import Sampler
import TextToImage

/// The input as the `config.json` of each part of a tiny model folder in turn, loaded by that
/// part's loader; then as `generation.json` and `latent_statistics.json`. Whenever one of them
/// loads, the whole folder is loaded as generation loads it, so that the checks between parts run.
enum ModelConfigFuzzTarget {
    static func run(_ data: Data) {
        let pristine = TinyModel.pristine
        for part in ModelPart.allCases {
            let path = "\(part.folder)/\(ModelLayout.configFile)"
            // Configs of big but possible models are skipped (see ModelSizeEstimate); ones that do not
            // decode still go to the loader, whose error path is part of what is tested.
            if let size = part.estimatedSize(of: data), ModelSizeEstimate.skipped.contains(size) { continue }
            FuzzPaths.write(data, to: TinyModel.url(path))
            if (try? part.load(from: TinyModel.url(part.folder))) != nil { loadPipeline() }
            FuzzPaths.write(pristine[path]!, to: TinyModel.url(path))
        }
        let generator = TinyModel.url(ModelLayout.generatorFolder)
        for path in TinyModel.settingsFiles {
            FuzzPaths.write(data, to: TinyModel.url(path))
            _ = ModelFolder.missingFiles(in: TinyModel.folder)
            let loaded = path.hasSuffix(ModelLayout.generationSettingsFile)
                ? (try? GenerationSettings.load(directory: generator)) != nil
                : (try? LatentStatistics.load(directory: generator)) != nil
            if loaded { loadPipeline() }
            FuzzPaths.write(pristine[path]!, to: TinyModel.url(path))
        }
    }

    private static func loadPipeline() {
        _ = try? ModelFolder.checkComplete(TinyModel.folder)
        _ = try? TextToImagePipeline(directory: TinyModel.folder)
    }
}
