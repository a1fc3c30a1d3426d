extension GenerationParameters {
    /// Parameters as a user states them, validated: image i uses `seed + i` (the seed is checked
    /// against `firstSeedRange` first), and without a seed every image gets a random one.
    /// `sampler` is a method's name. Throws `GenerationError` naming the first bad field.
    public static func resolve(prompt: String, negativePrompt: String = "", seed: Int64? = nil, count: Int = 1,
                               steps: Int = defaultSteps, guidance: Double = defaultGuidance,
                               sampler: String = SamplerMethod.euler.rawValue) throws -> GenerationParameters {
        // Field by field in the order the options are listed, before any seed is made: a count
        // out of range allocates nothing.
        try validateText(prompt, field: .prompt, allowEmpty: false)
        try validateText(negativePrompt, field: .negativePrompt, allowEmpty: true)
        try validateCount(count)
        try validateSteps(steps)
        try validateGuidance(guidance)
        let method = try SamplerMethod(named: sampler)
        if let seed, !firstSeedRange.contains(seed) {
            throw GenerationError(.seed, "seed must be between 0 and \(firstSeedRange.upperBound), got \(seed)")
        }
        return GenerationParameters(prompt: prompt, negativePrompt: negativePrompt,
                                    seeds: seeds(startingAt: seed, count: count), steps: steps,
                                    guidance: guidance, sampler: method)
    }

    /// `count` seeds: `seed` and its successors, or random ones in 0...2^32-1 when `seed` is nil.
    /// Successors wrap past `Int64.max` instead of trapping (`validate` then rejects them).
    public static func seeds(startingAt seed: Int64?, count: Int) -> [Int64] {
        let indices = 0..<max(0, count)
        if let seed { return indices.map { seed &+ Int64($0) } }
        var generator = SystemRandomNumberGenerator()
        return indices.map { _ in Int64.random(in: 0...Int64(UInt32.max), using: &generator) }
    }
}
