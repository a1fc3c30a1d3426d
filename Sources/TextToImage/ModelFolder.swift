import Foundation
import Models
import Sampler

/// The parts of a model folder (docs/model-layout.md) that generation reads, and the check that
/// they are all there before anything is loaded.
public enum ModelFolder {
    public static let tokenizerFile = "spiece.model"
    public static let textEncoderFolder = "text_encoder"
    public static let generatorFolder = "generator"
    public static let encoderFolder = FAEAutoencoder.encoderFolder
    public static let featureDecoderFolder = FAEAutoencoder.featureDecoderFolder
    public static let pixelDecoderFolder = FAEAutoencoder.pixelDecoderFolder

    /// A component folder is complete with both of these.
    static let componentFiles = ["config.json", "model.safetensors"]

    /// The files generation needs for `target` (nil: read it from `generator/generation.json`, else
    /// assume latents), relative to the folder. `withEncoder` adds the frozen visual encoder
    /// (evaluation's features).
    public static func requiredFiles(target: GenerationSettings.Target, withEncoder: Bool = false) -> [String] {
        var folders = [textEncoderFolder, generatorFolder]
        switch target {
        case .latent: folders += [featureDecoderFolder, pixelDecoderFolder]
        case .features: folders += [pixelDecoderFolder]
        case .pixels: break
        }
        if withEncoder { folders.append(encoderFolder) }
        var files = [tokenizerFile]
        for folder in folders { files += componentFiles.map { "\(folder)/\($0)" } }
        files += ["\(generatorFolder)/\(LatentStatistics.fileName)", "\(generatorFolder)/\(GenerationSettings.fileName)"]
        return files
    }

    /// The required files absent from `directory` (empty: complete). The target comes from
    /// `generator/generation.json` when it is readable.
    public static func missingFiles(in directory: URL, withEncoder: Bool = false) -> [String] {
        let generator = directory.appendingPathComponent(generatorFolder)
        let target = (try? GenerationSettings.load(directory: generator))?.target ?? .latent
        return requiredFiles(target: target, withEncoder: withEncoder).filter {
            !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
    }

    /// Throws `TextToImageError.incompleteModel` naming every missing file.
    public static func checkComplete(_ directory: URL, withEncoder: Bool = false) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TextToImageError(.incompleteModel, "there is no model folder at \(directory.path)", missing: ["."])
        }
        let missing = missingFiles(in: directory, withEncoder: withEncoder)
        guard missing.isEmpty else {
            throw TextToImageError(.incompleteModel,
                                   "the model folder \(directory.path) is incomplete: missing \(missing.joined(separator: ", "))",
                                   missing: missing)
        }
    }
}
