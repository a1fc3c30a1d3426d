import Foundation
import Models
import Sampler
import Tokenizer

extension TextToImagePipeline {
    /// Loads every part strictly from a model folder: `spiece.model`, `text_encoder/`, `generator/`
    /// (weights, `latent_statistics.json`, `generation.json`) and the decoders its target needs.
    /// A missing part is `incompleteModel` naming all missing files; an unreadable or mismatched
    /// one is `invalidModel` naming the part.
    public convenience init(directory: URL) throws {
        try ModelFolder.checkComplete(directory)
        func part<T>(_ name: String, _ load: () throws -> T) throws -> T {
            do {
                return try load()
            } catch let error as TextToImageError {
                throw error
            } catch {
                throw TextToImageError(.invalidModel, "cannot load \(name) of the model folder \(directory.path): \(error)", cause: error)
            }
        }
        let generatorURL = directory.appendingPathComponent(ModelFolder.generatorFolder)
        let settings = try part("generator/\(GenerationSettings.fileName)") { try GenerationSettings.load(directory: generatorURL) }
        try settings.validateLimits(file: generatorURL.appendingPathComponent(GenerationSettings.fileName))
        let tokenizer = try part(ModelFolder.tokenizerFile) {
            try SentencePieceTokenizer(modelFile: directory.appendingPathComponent(ModelFolder.tokenizerFile))
        }
        let textEncoder = try part(ModelFolder.textEncoderFolder + "/") {
            try T5Encoder.load(directory: directory.appendingPathComponent(ModelFolder.textEncoderFolder))
        }
        let generator = try part(ModelFolder.generatorFolder + "/") { try MMDiT.load(directory: generatorURL) }
        let statistics = try part("generator/\(LatentStatistics.fileName)") { try LatentStatistics.load(directory: generatorURL) }
        let featureDecoder = settings.target == .latent ? try part(ModelFolder.featureDecoderFolder + "/") {
            try FeatureDecoder.load(directory: directory.appendingPathComponent(ModelFolder.featureDecoderFolder))
        } : nil
        let pixelDecoder = settings.target != .pixels ? try part(ModelFolder.pixelDecoderFolder + "/") {
            try PixelDecoder.load(directory: directory.appendingPathComponent(ModelFolder.pixelDecoderFolder))
        } : nil
        let decoder = try TargetDecoder(target: settings.target, featureDecoder: featureDecoder, pixelDecoder: pixelDecoder)
        try self.init(directory: directory, tokenizer: tokenizer, textEncoder: textEncoder, generator: generator,
                      statistics: statistics, settings: settings, decoder: decoder)
    }
}
