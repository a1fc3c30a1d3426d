import Foundation
import Models

/// A component folder of a model folder with a `config.json`, and how generation loads it.
enum ModelPart: CaseIterable {
    case encoder
    case faeEncoder
    case featureDecoder
    case pixelDecoder
    case textEncoder
    case generator

    /// The part's folder in a model folder, as `ModelLayout` names it.
    var folder: String {
        switch self {
        case .encoder: ModelLayout.encoderFolder
        case .faeEncoder: ModelLayout.faeEncoderFolder
        case .featureDecoder: ModelLayout.featureDecoderFolder
        case .pixelDecoder: ModelLayout.pixelDecoderFolder
        case .textEncoder: ModelLayout.textEncoderFolder
        case .generator: ModelLayout.generatorFolder
        }
    }

    /// The part's loader: config.json decoded and checked, the model built, model.safetensors loaded strictly.
    func load(from directory: URL) throws {
        switch self {
        case .encoder: _ = try Dinov2Model.load(directory: directory)
        case .faeEncoder: _ = try FAEEncoder.load(directory: directory)
        case .featureDecoder: _ = try FeatureDecoder.load(directory: directory)
        case .pixelDecoder: _ = try PixelDecoder.load(directory: directory)
        case .textEncoder: _ = try T5Encoder.load(directory: directory)
        case .generator: _ = try MMDiT.load(directory: directory)
        }
    }

    /// About how many values the model built from `config` allocates, or nil when the config does
    /// not decode (with the loader's own decoder, so the same files decode).
    func estimatedSize(of config: Data) -> Double? {
        let decoder = JSONDecoder()
        switch self {
        case .encoder: return (try? decoder.decode(Dinov2Config.self, from: config)).map(ModelSizeEstimate.values)
        case .faeEncoder, .featureDecoder, .pixelDecoder: return (try? decoder.decode(FAEConfig.self, from: config)).map(ModelSizeEstimate.values)
        case .textEncoder: return (try? decoder.decode(T5Config.self, from: config)).map(ModelSizeEstimate.values)
        case .generator: return (try? decoder.decode(MMDiTConfig.self, from: config)).map(ModelSizeEstimate.values)
        }
    }
}
