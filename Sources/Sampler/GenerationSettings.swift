import Foundation

/// `generator/generation.json`: what sampling must agree with training.
/// `{"target": "latent" | "features" | "pixels", "max_text_tokens": 16, "shift": a}`.
public struct GenerationSettings: Codable, Equatable, Sendable {
    public static let fileName = "generation.json"

    /// What the generator's tokens are and so how they decode to pixels.
    public var target: GeneratorTarget
    /// Text length the text encoder and MMDiT were trained with (`TextBatchEncoder.maxTokens`).
    public var maxTextTokens: Int
    /// Time shift a used for the training timesteps; use it for the sampling grid too.
    public var shift: Double

    public init(target: GeneratorTarget, maxTextTokens: Int, shift: Double) {
        self.target = target
        self.maxTextTokens = maxTextTokens
        self.shift = shift
    }

    enum CodingKeys: String, CodingKey {
        case target, shift
        case maxTextTokens = "max_text_tokens"
    }

    public static func load(directory: URL) throws -> GenerationSettings {
        let url = directory.appendingPathComponent(fileName)
        let settings: GenerationSettings
        do {
            settings = try JSONDecoder().decode(GenerationSettings.self, from: Data(contentsOf: url))
        } catch {
            throw SamplerError(.invalidInput, "cannot read \(url.path): \(error)", cause: error)
        }
        guard settings.maxTextTokens > 0, settings.shift > 0, settings.shift.isFinite else {
            throw SamplerError(.invalidInput, "\(url.path): max_text_tokens and shift must be positive")
        }
        return settings
    }

    public func save(directory: URL) throws {
        let url = directory.appendingPathComponent(Self.fileName)
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw SamplerError(.invalidInput, "cannot write \(url.path): \(error)", cause: error)
        }
    }
}
