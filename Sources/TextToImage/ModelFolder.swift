import Foundation
import Models
import Sampler

/// The parts of a model folder (`ModelLayout`, docs/model-layout.md) that generation reads, and
/// the check that they are all there before anything is loaded.
public enum ModelFolder {
    /// The files generation needs for `target` (nil: read it from `generator/generation.json`, else
    /// assume latents), relative to the folder. `withEncoder` adds the frozen visual encoder
    /// (evaluation's features).
    public static func requiredFiles(target: GenerationSettings.Target, withEncoder: Bool = false) -> [String] {
        var folders = [ModelLayout.textEncoderFolder, ModelLayout.generatorFolder]
        switch target {
        case .latent: folders += [ModelLayout.featureDecoderFolder, ModelLayout.pixelDecoderFolder]
        case .features: folders += [ModelLayout.pixelDecoderFolder]
        case .pixels: break
        }
        if withEncoder { folders.append(ModelLayout.encoderFolder) }
        var files = [ModelLayout.tokenizerFile]
        for folder in folders { files += ModelLayout.partFiles.map { "\(folder)/\($0)" } }
        files += [ModelLayout.latentStatisticsFile, ModelLayout.generationSettingsFile].map { "\(ModelLayout.generatorFolder)/\($0)" }
        return files
    }

    /// The required files absent from `directory` (empty: complete). Without a `target` it comes
    /// from `generator/generation.json` when that is readable, else latents are assumed.
    public static func missingFiles(in directory: URL, target: GenerationSettings.Target? = nil,
                                    withEncoder: Bool = false) -> [String] {
        let generator = directory.appendingPathComponent(ModelLayout.generatorFolder)
        let target = target ?? (try? GenerationSettings.load(directory: generator))?.target ?? .latent
        return requiredFiles(target: target, withEncoder: withEncoder).filter {
            !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
    }

    /// Throws `TextToImageError.incompleteModel` naming every missing file (`target` as in `missingFiles`).
    public static func checkComplete(_ directory: URL, target: GenerationSettings.Target? = nil, withEncoder: Bool = false) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TextToImageError(.incompleteModel, "there is no model folder at \(directory.path)", cause: MissingModelParts(paths: ["."]))
        }
        let missing = missingFiles(in: directory, target: target, withEncoder: withEncoder)
        guard missing.isEmpty else {
            throw TextToImageError(.incompleteModel,
                                   "the model folder \(directory.path) is incomplete: missing \(missing.joined(separator: ", "))",
                                   cause: MissingModelParts(paths: missing))
        }
    }
}
