import Foundation

/// What a user submits. `validate()` enforces every range before anything touches the database.
public struct JobRequest: Sendable, Equatable {
    public static let maxPromptCharacters = 1_000
    /// Also a byte limit: a few characters can hold any number of combining marks, and the prompt
    /// travels in each JPEG's comment segment, whose 64 KiB must hold both texts escaped (`ImageMetadata`).
    public static let maxPromptBytes = 4_000
    public static let countRange = 1...16
    public static let stepsRange = 1...1_000
    public static let guidanceRange = 0.0...30.0
    public static let priorityRange = -1_000...1_000
    public static let maxAttemptsRange = 1...100
    public static let samplers = ["euler", "heun"]

    public var prompt: String
    public var negativePrompt: String
    /// The first image's seed; image `i` uses `seed + i`. Drawn at random when nil.
    public var seed: Int64?
    public var count: Int
    public var steps: Int
    public var guidance: Double
    public var sampler: String
    public var priority: Int
    public var idempotencyKey: String?
    public var maxAttempts: Int

    /// `guidance` defaults to `FlowSamplerConfiguration.defaultGuidanceScale` (the queue does not
    /// depend on the sampler, so the value is repeated here; keep the two equal).
    public init(
        prompt: String, negativePrompt: String = "", seed: Int64? = nil, count: Int = 1, steps: Int = 25,
        guidance: Double = 3, sampler: String = "euler", priority: Int = 0, idempotencyKey: String? = nil,
        maxAttempts: Int = 3
    ) {
        self.prompt = prompt
        self.negativePrompt = negativePrompt
        self.seed = seed
        self.count = count
        self.steps = steps
        self.guidance = guidance
        self.sampler = sampler
        self.priority = priority
        self.idempotencyKey = idempotencyKey
        self.maxAttempts = maxAttempts
    }

    /// Checks every field; throws `invalidRequest` naming the first bad one.
    public func validate() throws {
        func reject(_ message: String) -> QueueError { QueueError(.invalidRequest, message) }
        try Self.validateText(prompt, field: "prompt", allowEmpty: false)
        try Self.validateText(negativePrompt, field: "negative prompt", allowEmpty: true)
        guard Self.countRange.contains(count) else { throw reject("count must be between 1 and 16, got \(count)") }
        guard Self.stepsRange.contains(steps) else { throw reject("steps must be between 1 and 1000, got \(steps)") }
        guard guidance.isFinite, Self.guidanceRange.contains(guidance) else {
            throw reject("guidance must be between 0 and 30, got \(guidance)")
        }
        guard Self.samplers.contains(sampler) else {
            throw reject("sampler must be one of \(Self.samplers.joined(separator: ", ")), got '\(sampler)'")
        }
        guard Self.priorityRange.contains(priority) else {
            throw reject("priority must be between -1000 and 1000, got \(priority)")
        }
        guard Self.maxAttemptsRange.contains(maxAttempts) else {
            throw reject("max attempts must be between 1 and 100, got \(maxAttempts)")
        }
        if let seed {
            // Seeds of all images must stay in SQLite's signed 64-bit range.
            guard seed >= 0, seed <= Int64.max - Int64(Self.countRange.upperBound) else {
                throw reject("seed must be between 0 and \(Int64.max - Int64(Self.countRange.upperBound)), got \(seed)")
            }
        }
        if let key = idempotencyKey {
            guard !key.isEmpty, key.count <= 200, key.utf8.count <= 800,
                  !key.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw reject("idempotency key must be 1-200 printable characters (at most 800 UTF-8 bytes)")
            }
        }
    }

    static func validateText(_ text: String, field: String, allowEmpty: Bool) throws {
        if !allowEmpty, text.allSatisfy(\.isWhitespace) {
            throw QueueError(.invalidRequest, "\(field) is empty")
        }
        if text.utf8.count > maxPromptBytes {
            throw QueueError(.invalidRequest, "\(field) is \(text.utf8.count) bytes long in UTF-8; the limit is \(maxPromptBytes)")
        }
        if text.count > maxPromptCharacters {
            throw QueueError(.invalidRequest, "\(field) is \(text.count) characters long; the limit is \(maxPromptCharacters)")
        }
        if text.unicodeScalars.contains(where: { $0 == "\0" }) {
            throw QueueError(.invalidRequest, "\(field) contains a NUL character")
        }
    }

    /// The sha256 of every submitted field, the key aside: equal for two requests exactly when
    /// they ask for the same job, so a reused idempotency key can be checked against the first use.
    var digest: String {
        let fields: [String] = [
            prompt, negativePrompt, seed.map(String.init) ?? "random", String(count), String(steps),
            String(guidance.bitPattern), sampler, String(priority), String(maxAttempts),
        ]
        // Length-prefixed, so no two field lists share an encoding.
        let encoded = fields.map { "\($0.utf8.count):\($0)" }.joined()
        return ImageDigest.sha256Hex(Data(encoded.utf8))
    }

    /// One seed per image: the given seed and its successors, or fresh random ones.
    func resolvedSeeds() -> [Int64] {
        if let seed { return (0..<count).map { seed + Int64($0) } }
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in Int64.random(in: 0...Int64(UInt32.max), using: &generator) }
    }
}
