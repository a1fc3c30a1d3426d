import Foundation
import Models

/// A component folder of a model folder with a `config.json`, and how generation loads it.
enum ModelPart: String, CaseIterable {
    case encoder = "encoder"
    case faeEncoder = "fae_encoder"
    case featureDecoder = "feature_decoder"
    case pixelDecoder = "pixel_decoder"
    case textEncoder = "text_encoder"
    case generator = "generator"

    var folder: String { rawValue }

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
