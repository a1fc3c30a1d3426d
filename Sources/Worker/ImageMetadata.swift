import Foundation
import Generation

/// The generation parameters a JPEG carries in its comment segment, so an image explains itself:
/// the request's texts and settings with this image's seed, and the model that drew it.
public struct ImageMetadata: Encodable, Sendable, Equatable {
    public var job: String?
    public var parameters: GenerationParameters
    /// This image's seed (one of `parameters.seeds`).
    public var seed: Int64
    public var model: String
    public var weightsHash: String?

    enum CodingKeys: String, CodingKey {
        case job, prompt, seed, steps, guidance, sampler, model
        case negativePrompt = "negative_prompt"
        case weightsHash = "weights_hash"
    }

    public init(job: String?, parameters: GenerationParameters, seed: Int64, model: String, weightsHash: String?) {
        self.job = job
        self.parameters = parameters
        self.seed = seed
        self.model = model
        self.weightsHash = weightsHash
    }

    /// One flat object; absent job and weights hash are left out.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(job, forKey: .job)
        try container.encode(parameters.prompt, forKey: .prompt)
        try container.encode(parameters.negativePrompt, forKey: .negativePrompt)
        try container.encode(seed, forKey: .seed)
        try container.encode(parameters.steps, forKey: .steps)
        try container.encode(parameters.guidance, forKey: .guidance)
        try container.encode(parameters.sampler, forKey: .sampler)
        try container.encode(model, forKey: .model)
        try container.encodeIfPresent(weightsHash, forKey: .weightsHash)
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
