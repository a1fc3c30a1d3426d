import Foundation

/// What sampling must agree with training, stored as `generator/generation.json`
/// (docs/model-layout.md): `{"target": "latent" | "features" | "pixels", "max_text_tokens": 16, "shift": a}`.
public struct GenerationSettings: Codable, Equatable, Sendable {
    public static let fileName = "generation.json"

    /// What the generator produces.
    public enum Target: String, Codable, Sendable, CaseIterable {
        /// FAE latents (B, 64, d): decoded by the feature decoder, then the pixel decoder.
        case latent
        /// Raw encoder features (B, 64, C): decoded by the pixel decoder only.
        case features
        /// 8x8x3 pixel patches per token (B, 64, 192): unpatchified.
        case pixels
    }

    public var target: Target
    /// Text token budget: prompts are truncated (with </s> kept) and padded to this length.
    public var maxTextTokens: Int
    /// Time shift a of the sampling grid (the one training used).
    public var shift: Double

    enum CodingKeys: String, CodingKey {
        case target, shift
        case maxTextTokens = "max_text_tokens"
    }

    public init(target: Target = .latent, maxTextTokens: Int, shift: Double) {
        self.target = target
        self.maxTextTokens = maxTextTokens
        self.shift = shift
    }

    /// Reads `directory/generation.json`; errors name the file.
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

    /// Writes `directory/generation.json` (pretty, sorted keys).
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
