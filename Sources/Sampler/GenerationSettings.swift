import Foundation
import Models

/// `generator/generation.json`: what sampling must agree with training.
/// `{"target": "latent" | "features" | "pixels", "max_text_tokens": 16, "shift": a}`, and for a
/// normalizing flow optionally `"temperature": t`.
public struct GenerationSettings: Codable, Equatable, Sendable {

    /// What the generator's tokens are and so how they decode to pixels.
    public var target: GeneratorTarget
    /// Text length the text encoder and MMDiT were trained with (`TextBatchEncoder.maxTokens`).
    public var maxTextTokens: Int
    /// Time shift a used for the training timesteps; use it for the sampling grid too.
    public var shift: Double
    /// A normalizing flow's sampling temperature: the scale of its Gaussian noise z (nil: 1). Below 1
    /// trades the diversity of the samples for their fidelity, as in Glow; the diffusion sampler ignores it.
    public var temperature: Double?

    /// The pipeline's name for the target kind.
    public typealias Target = GeneratorTarget

    public init(target: GeneratorTarget = .latent, maxTextTokens: Int, shift: Double, temperature: Double? = nil) {
        self.target = target
        self.maxTextTokens = maxTextTokens
        self.shift = shift
        self.temperature = temperature
    }

    enum CodingKeys: String, CodingKey {
        case target, shift, temperature
        case maxTextTokens = "max_text_tokens"
    }

    public static func load(directory: URL) throws -> GenerationSettings {
        let url = directory.appendingPathComponent(ModelLayout.generationSettingsFile)
        let settings = try SamplerJSONFile.read(GenerationSettings.self, from: url, code: .invalidInput)
        guard settings.maxTextTokens > 0, settings.shift > 0, settings.shift.isFinite else {
            throw SamplerError(.invalidInput, "\(url.path): max_text_tokens and shift must be positive")
        }
        if let t = settings.temperature, !FlowSamplerConfiguration.temperatures.contains(t) {
            throw SamplerError(.invalidInput, "\(url.path): temperature must be in \(FlowSamplerConfiguration.temperatures), got \(t)")
        }
        return settings
    }

    public func save(directory: URL) throws {
        try SamplerJSONFile.write(self, to: directory.appendingPathComponent(ModelLayout.generationSettingsFile), code: .invalidInput)
    }
}
