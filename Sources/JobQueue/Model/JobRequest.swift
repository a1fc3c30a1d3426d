import Digest
import Foundation
import Generation

/// What a user submits: the generation parameters and how the queue treats the job. Validated
/// where it enters (`GenerationParameters.validate()` and `validate()` for the queue's fields);
/// `JobQueue.submit` stores it as given.
public struct JobRequest: Sendable, Equatable {
    public static let priorityRange = -1_000...1_000
    public static let maxAttemptsRange = 1...100

    public var parameters: GenerationParameters
    /// The seeds were drawn at random, not asked for: a repeated idempotency key then matches the
    /// first job whatever seeds each submit drew.
    public var seedsDrawn: Bool
    public var priority: Int
    public var idempotencyKey: String?
    public var maxAttempts: Int

    public init(parameters: GenerationParameters, seedsDrawn: Bool = false, priority: Int = 0,
                idempotencyKey: String? = nil, maxAttempts: Int = 3) {
        self.parameters = parameters
        self.seedsDrawn = seedsDrawn
        self.priority = priority
        self.idempotencyKey = idempotencyKey
        self.maxAttempts = maxAttempts
    }

    /// A request for `count` images from a first seed (image i uses seed + i) or, without one,
    /// drawn seeds: what `submit --seed` means. Not validated, for programs that build known-good
    /// requests (benchmarks, tests); user input goes through `GenerationParameters.resolve`.
    public init(prompt: String, negativePrompt: String = "", seed: Int64? = nil, count: Int = 1,
                steps: Int = GenerationParameters.defaultSteps, guidance: Double = GenerationParameters.defaultGuidance,
                sampler: SamplerMethod = .euler, priority: Int = 0, idempotencyKey: String? = nil, maxAttempts: Int = 3) {
        let parameters = GenerationParameters(prompt: prompt, negativePrompt: negativePrompt,
                                              seeds: GenerationParameters.seeds(startingAt: seed, count: count),
                                              steps: steps, guidance: guidance, sampler: sampler)
        self.init(parameters: parameters, seedsDrawn: seed == nil, priority: priority, idempotencyKey: idempotencyKey,
                  maxAttempts: maxAttempts)
    }

    /// Checks the queue's fields (priority, attempts, key); throws `invalidRequest` naming the first
    /// bad one. The parameters have their own `GenerationParameters.validate()`.
    public func validate() throws {
        guard Self.priorityRange.contains(priority) else {
            throw JobSubmission.invalid(.priority, "priority must be between -1000 and 1000, got \(priority)")
        }
        guard Self.maxAttemptsRange.contains(maxAttempts) else {
            throw JobSubmission.invalid(.maxAttempts, "max attempts must be between 1 and 100, got \(maxAttempts)")
        }
        if let key = idempotencyKey {
            guard !key.isEmpty, key.count <= 200, key.utf8.count <= 800,
                  !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw JobSubmission.invalid(.key, "idempotency key must be 1-200 printable characters (at most 800 UTF-8 bytes)")
            }
        }
    }

    /// The sha256 of every submitted field, the key aside: equal for two requests exactly when
    /// they ask for the same job, so a reused idempotency key can be checked against the first use.
    var digest: String {
        let p = parameters
        let fields: [String] = [
            p.prompt, p.negativePrompt, seedField, String(p.count),
            String(p.steps), String(p.guidance.bitPattern), p.sampler.rawValue, String(priority), String(maxAttempts),
        ]
        // Length-prefixed, so no two field lists share an encoding.
        let encoded = fields.map { "\($0.utf8.count):\($0)" }.joined()
        return SHA256Hex.of(Data(encoded.utf8))
    }

    /// The seeds as stored digests encode them: "random" when drawn, else the first seed when the
    /// others follow it (what `--seed` gives), else the whole list as JSON.
    var seedField: String {
        let seeds = parameters.seeds
        if seedsDrawn { return "random" }
        guard let first = seeds.first, seeds == GenerationParameters.seeds(startingAt: first, count: seeds.count) else {
            return "[" + seeds.map(String.init).joined(separator: ",") + "]"
        }
        return String(first)
    }

    /// Whether `job`, stored with `storedDigest`, is what this request asks for: the answer to an
    /// idempotency key used again. Jobs stored before digests compare field by field (drawn seeds
    /// then match any seeds, but not another count).
    func asks(for job: Job, storedDigest: String?) -> Bool {
        if let storedDigest { return storedDigest == digest }
        var asked = parameters
        if seedsDrawn, asked.count == job.parameters.count { asked.seeds = job.parameters.seeds }
        return job.parameters == asked && job.priority == priority && job.maxAttempts == maxAttempts
    }
}
