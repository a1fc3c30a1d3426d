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
        let generatorURL = directory.appendingPathComponent(ModelLayout.generatorFolder)
        // generation.json is read once: its target says which parts the folder must hold.
        let settingsFile = Result { try GenerationSettings.load(directory: generatorURL) }
        try ModelFolder.checkComplete(directory, target: (try? settingsFile.get())?.target ?? .latent)
        func part<T>(_ name: String, _ load: () throws -> T) throws -> T {
            do {
                return try load()
            } catch let error as TextToImageError {
                throw error
            } catch {
                throw TextToImageError(.invalidModel, "cannot load \(name) of the model folder \(directory.path): \(error)", cause: error)
            }
        }
        let settings = try part("\(ModelLayout.generatorFolder)/\(ModelLayout.generationSettingsFile)") { try settingsFile.get() }
        try settings.validateLimits(file: generatorURL.appendingPathComponent(ModelLayout.generationSettingsFile))
        let tokenizer = try part(ModelLayout.tokenizerFile) {
            try SentencePieceTokenizer(modelFile: directory.appendingPathComponent(ModelLayout.tokenizerFile))
        }
        let textEncoder = try part(ModelLayout.textEncoderFolder + "/") {
            try T5Encoder.load(directory: directory.appendingPathComponent(ModelLayout.textEncoderFolder))
        }
        let family = try part(ModelLayout.generatorFolder + "/") { try Self.family(ofGeneratorIn: generatorURL) }
        let statistics = try part("\(ModelLayout.generatorFolder)/\(ModelLayout.latentStatisticsFile)") { try LatentStatistics.load(directory: generatorURL) }
        let featureDecoder = settings.target == .latent ? try part(ModelLayout.featureDecoderFolder + "/") {
            try FeatureDecoder.load(directory: directory.appendingPathComponent(ModelLayout.featureDecoderFolder))
        } : nil
        let pixelDecoder = settings.target != .pixels ? try part(ModelLayout.pixelDecoderFolder + "/") {
            try PixelDecoder.load(directory: directory.appendingPathComponent(ModelLayout.pixelDecoderFolder))
        } : nil
        let decoder = try TargetDecoder(target: settings.target, featureDecoder: featureDecoder, pixelDecoder: pixelDecoder)
        switch family {
        case .diffusion:
            let generator = try part(ModelLayout.generatorFolder + "/") { try MMDiT.load(directory: generatorURL) }
            try self.init(directory: directory, tokenizer: tokenizer, textEncoder: textEncoder, generator: generator,
                          statistics: statistics, settings: settings, decoder: decoder)
        case .flow:
            let flow = try part(ModelLayout.generatorFolder + "/") { try TransformerFlow.load(directory: generatorURL) }
            try self.init(directory: directory, tokenizer: tokenizer, textEncoder: textEncoder, flow: flow,
                          statistics: statistics, settings: settings, decoder: decoder)
        }
    }

    /// The family of the generator in `url` by its config.json's model_type ("tarflow": a
    /// normalizing flow; anything else is left to the MMDiT's loader to accept or refuse).
    static func family(ofGeneratorIn url: URL) throws -> GeneratorFamily {
        struct ModelType: Decodable {
            let modelType: String?
            enum CodingKeys: String, CodingKey { case modelType = "model_type" }
        }
        let checkpoint = try HuggingFaceCheckpoint(directory: url)
        return try checkpoint.config(ModelType.self).modelType == FlowConfig.modelTypeName ? .flow : .diffusion
    }
}
