import Generation

/// A job as a user states it, field by field: `submit`'s options, or the body of `POST /v1/jobs`.
/// `request()` is the one place both are validated; an error names the first bad field as the
/// JSON of a request spells it (`QueueError.field`).
public struct JobSubmission: Sendable, Equatable {
    public var prompt: String
    public var negativePrompt: String
    /// The first seed: image i uses seed + i. Without it (and without `seeds`) seeds are drawn.
    public var seed: Int64?
    /// Every image's seed, in order; an alternative to `seed`.
    public var seeds: [Int64]?
    /// The number of images; with `seeds` it defaults to, and must equal, their number.
    public var count: Int?
    public var steps: Int
    public var guidance: Double
    public var sampler: String
    public var priority: Int
    public var maxAttempts: Int
    public var key: String?

    public init(prompt: String, negativePrompt: String = "", seed: Int64? = nil, seeds: [Int64]? = nil, count: Int? = nil,
                steps: Int = GenerationParameters.defaultSteps, guidance: Double = GenerationParameters.defaultGuidance,
                sampler: String = SamplerMethod.euler.rawValue, priority: Int = 0, maxAttempts: Int = 3, key: String? = nil) {
        self.prompt = prompt
        self.negativePrompt = negativePrompt
        self.seed = seed
        self.seeds = seeds
        self.count = count
        self.steps = steps
        self.guidance = guidance
        self.sampler = sampler
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.key = key
    }

    /// The validated request; drawn seeds are drawn here. Throws `invalidRequest` whose `field`
    /// names the first bad field.
    public func request() throws -> JobRequest {
        do {
            let parameters: GenerationParameters
            if let seeds {
                guard seed == nil else { throw Self.invalid(.seeds, "give seed or seeds, not both") }
                guard count == nil || count == seeds.count else {
                    throw Self.invalid(.count, "count is \(count ?? 0) but \(seeds.count) seeds are given")
                }
                guard !seeds.isEmpty else { throw Self.invalid(.seeds, "seeds must not be empty") }
                var resolved = try GenerationParameters.resolve(prompt: prompt, negativePrompt: negativePrompt, seed: 0,
                                                                count: seeds.count, steps: steps, guidance: guidance,
                                                                sampler: sampler)
                resolved.seeds = seeds
                try resolved.validateSettings()
                parameters = resolved
            } else {
                parameters = try GenerationParameters.resolve(prompt: prompt, negativePrompt: negativePrompt, seed: seed,
                                                              count: count ?? 1, steps: steps, guidance: guidance, sampler: sampler)
            }
            let request = JobRequest(parameters: parameters, seedsDrawn: seed == nil && seeds == nil, priority: priority,
                                     idempotencyKey: key, maxAttempts: maxAttempts)
            try request.validate()
            return request
        } catch let error as GenerationError {
            throw QueueError(.invalidRequest, error.message, cause: error)
        }
    }

    /// The request's fields as their JSON names them.
    public enum Field: String, Sendable {
        case prompt, seed, seeds, count, steps, guidance, sampler, priority, key
        case negativePrompt = "negative_prompt"
        case maxAttempts = "max_attempts"
    }

    /// The cause of an `invalidRequest` that names a field outside `GenerationParameters`.
    public struct InvalidField: Error, Sendable {
        public let field: Field
    }

    static func invalid(_ field: Field, _ message: String) -> QueueError {
        QueueError(.invalidRequest, message, cause: InvalidField(field: field))
    }
}

extension QueueError {
    /// The request field an `invalidRequest` is about, as the JSON of a request spells it.
    public var field: String? {
        switch cause {
        case let generation as GenerationError: return generation.field.rawValue
        case let invalid as JobSubmission.InvalidField: return invalid.field.rawValue
        default: return nil
        }
    }
}
