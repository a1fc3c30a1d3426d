import Foundation

/// The generation parameters a JPEG carries in its comment segment, so an image explains itself.
public struct ImageMetadata: Codable, Sendable, Equatable {
    public var job: String?
    public var prompt: String
    public var negativePrompt: String
    public var seed: Int64
    public var steps: Int
    public var guidance: Double
    public var sampler: String
    public var model: String
    public var weightsHash: String?

    enum CodingKeys: String, CodingKey {
        case job, prompt, seed, steps, guidance, sampler, model
        case negativePrompt = "negative_prompt"
        case weightsHash = "weights_hash"
    }

    public init(job: String?, prompt: String, negativePrompt: String, seed: Int64, steps: Int, guidance: Double,
                sampler: String, model: String, weightsHash: String?) {
        self.job = job
        self.prompt = prompt
        self.negativePrompt = negativePrompt
        self.seed = seed
        self.steps = steps
        self.guidance = guidance
        self.sampler = sampler
        self.model = model
        self.weightsHash = weightsHash
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and numbers cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
