extension GenerationParameters {
    public static let maxPromptCharacters = 1_000
    /// Also a byte limit: a few characters can hold any number of combining marks, and the prompt
    /// travels in each JPEG's comment segment, whose 64 KiB must hold both texts escaped (`ImageMetadata`).
    public static let maxPromptBytes = 4_000
    public static let countRange = 1...16
    public static let stepsRange = 1...1_000
    public static let guidanceRange = 0.0...30.0
    /// The range of a first seed (`resolve`): its successors, one per image, stay in SQLite's
    /// signed 64-bit integers.
    public static let firstSeedRange: ClosedRange<Int64> = 0...(Int64.max - Int64(countRange.upperBound))

    /// Checks every field; throws `GenerationError` naming the first bad one.
    public func validate() throws {
        try Self.validateText(prompt, field: .prompt, allowEmpty: false)
        try Self.validateText(negativePrompt, field: .negativePrompt, allowEmpty: true)
        try validateSettings()
    }

    /// The rules on everything but the texts: the image count, the seeds and the sampler's numbers,
    /// which every renderer relies on. The queue checks stored rows with these alone: a row's texts
    /// were accepted under the limits of their day.
    public func validateSettings() throws {
        try Self.validateCount(count)
        try Self.validateSteps(steps)
        try Self.validateGuidance(guidance)
        if let seed = seeds.first(where: { $0 < 0 }) {
            throw GenerationError(.seed, "every seed must be at least 0, got \(seed)")
        }
    }

    static func validateSteps(_ steps: Int) throws {
        guard stepsRange.contains(steps) else {
            throw GenerationError(.steps, "steps must be between 1 and 1000, got \(steps)")
        }
    }

    static func validateGuidance(_ guidance: Double) throws {
        guard guidance.isFinite, guidanceRange.contains(guidance) else {
            throw GenerationError(.guidance, "guidance must be between 0 and 30, got \(guidance)")
        }
    }

    static func validateCount(_ count: Int) throws {
        guard countRange.contains(count) else {
            throw GenerationError(.count, "count must be between 1 and 16, got \(count)")
        }
    }

    static func validateText(_ text: String, field: GenerationError.Field, allowEmpty: Bool) throws {
        let name = field == .prompt ? "prompt" : "negative prompt"
        if !allowEmpty, text.allSatisfy(\.isWhitespace) {
            throw GenerationError(field, "\(name) is empty")
        }
        if text.utf8.count > maxPromptBytes {
            throw GenerationError(field, "\(name) is \(text.utf8.count) bytes long in UTF-8; the limit is \(maxPromptBytes)")
        }
        if text.count > maxPromptCharacters {
            throw GenerationError(field, "\(name) is \(text.count) characters long; the limit is \(maxPromptCharacters)")
        }
        if text.unicodeScalars.contains(where: { $0 == "\0" }) {
            throw GenerationError(field, "\(name) contains a NUL character")
        }
    }
}
