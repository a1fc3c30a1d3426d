import Testing
@testable import Generation

/// The rules of a request, checked once where it enters (the CLI's `submit` and `render`).
@Suite struct GenerationParametersTests {
    static func parameters(_ prompt: String = "ok", negativePrompt: String = "", seeds: [Int64] = [1], steps: Int = 25,
                           guidance: Double = 3) -> GenerationParameters {
        GenerationParameters(prompt: prompt, negativePrompt: negativePrompt, seeds: seeds, steps: steps, guidance: guidance)
    }

    static let seedLimit = Int64.max - 16

    @Test(arguments: [
        (parameters("   "), GenerationError(.prompt, "prompt is empty")),
        (parameters(""), GenerationError(.prompt, "prompt is empty")),
        (parameters(String(repeating: "a", count: 1_001)), GenerationError(.prompt, "prompt is 1001 characters long; the limit is 1000")),
        (parameters(negativePrompt: String(repeating: "a", count: 1_001)),
         GenerationError(.negativePrompt, "negative prompt is 1001 characters long; the limit is 1000")),
        (parameters("nul\0inside"), GenerationError(.prompt, "prompt contains a NUL character")),
        (parameters(negativePrompt: "nul\0inside"), GenerationError(.negativePrompt, "negative prompt contains a NUL character")),
        (parameters(seeds: []), GenerationError(.count, "count must be between 1 and 16, got 0")),
        (parameters(seeds: Array(0..<17)), GenerationError(.count, "count must be between 1 and 16, got 17")),
        (parameters(steps: 0), GenerationError(.steps, "steps must be between 1 and 1000, got 0")),
        (parameters(steps: 1_001), GenerationError(.steps, "steps must be between 1 and 1000, got 1001")),
        (parameters(guidance: -1), GenerationError(.guidance, "guidance must be between 0 and 30, got -1.0")),
        (parameters(guidance: 31), GenerationError(.guidance, "guidance must be between 0 and 30, got 31.0")),
        (parameters(guidance: .nan), GenerationError(.guidance, "guidance must be between 0 and 30, got nan")),
        (parameters(guidance: .infinity), GenerationError(.guidance, "guidance must be between 0 and 30, got inf")),
        (parameters(seeds: [4, -3]), GenerationError(.seed, "every seed must be at least 0, got -3")),
    ])
    func badParametersAreRejected(parameters: GenerationParameters, error: GenerationError) throws {
        #expect(throws: error) { try parameters.validate() }
    }

    @Test func theLimitsThemselvesAreAccepted() throws {
        let longest = String(repeating: "a", count: GenerationParameters.maxPromptCharacters)
        try Self.parameters(longest, negativePrompt: longest, seeds: Array(0..<16), steps: 1_000, guidance: 30).validate()
        try Self.parameters(seeds: [0, Int64.max], steps: 1, guidance: 0).validate()
    }

    @Test func promptLimitCountsBytesToo() throws {
        // Two characters, 60,001 bytes: combining marks pile onto one character.
        let heavy = "a" + String(repeating: "\u{301}", count: 30_000)
        #expect(heavy.count <= GenerationParameters.maxPromptCharacters)
        for (parameters, field) in [(Self.parameters(heavy), GenerationError.Field.prompt),
                                    (Self.parameters(negativePrompt: heavy), .negativePrompt)] {
            do {
                try parameters.validate()
                Issue.record("expected the byte limit")
            } catch let error as GenerationError {
                #expect(error.field == field && error.message.contains("bytes"))
                #expect(error.message.hasSuffix("is 60001 bytes long in UTF-8; the limit is 4000"))
            }
        }
        let atLimit = String(repeating: "\u{1F600}", count: GenerationParameters.maxPromptBytes / 4)
        try Self.parameters(atLimit).validate()
    }

    /// The texts' limits are for new input; stored jobs are checked with the rest alone.
    @Test func settingsAloneLeaveTheTextsAlone() throws {
        try Self.parameters("").validateSettings()
        #expect(throws: GenerationError(.steps, "steps must be between 1 and 1000, got 0")) {
            try Self.parameters("", steps: 0).validateSettings()
        }
    }

    @Test func resolveGivesConsecutiveSeedsFromAFirstSeed() throws {
        let parameters = try GenerationParameters.resolve(prompt: "a red circle", negativePrompt: "blur", seed: 7, count: 3,
                                                          steps: 30, guidance: 2.5, sampler: "heun")
        #expect(parameters == GenerationParameters(prompt: "a red circle", negativePrompt: "blur", seeds: [7, 8, 9], steps: 30,
                                                   guidance: 2.5, sampler: .heun))
        let last = try GenerationParameters.resolve(prompt: "ok", seed: Self.seedLimit, count: 16)
        #expect(last.seeds.last == Int64.max - 1)
    }

    @Test func resolveDrawsSeedsWithoutAFirstSeed() throws {
        let parameters = try GenerationParameters.resolve(prompt: "ok", count: 16)
        #expect(parameters.count == 16 && parameters.seeds.allSatisfy { (0...Int64(UInt32.max)).contains($0) })
        #expect(Set(parameters.seeds).count > 1)
        #expect(parameters.steps == GenerationParameters.defaultSteps && parameters.guidance == GenerationParameters.defaultGuidance
                && parameters.sampler == .euler && parameters.negativePrompt == "")
    }

    @Test(arguments: [
        ("ok", nil, 0, "euler", GenerationError(.count, "count must be between 1 and 16, got 0")),
        ("ok", nil, 17, "euler", GenerationError(.count, "count must be between 1 and 16, got 17")),
        // A huge count is refused before any seed is made.
        ("ok", nil, Int.max, "euler", GenerationError(.count, "count must be between 1 and 16, got \(Int.max)")),
        ("ok", -3, 1, "euler", GenerationError(.seed, "seed must be between 0 and \(Int64.max - 16), got -3")),
        ("ok", Int64.max, 1, "euler", GenerationError(.seed, "seed must be between 0 and \(Int64.max - 16), got \(Int64.max)")),
        ("ok", nil, 1, "ddim", GenerationError(.sampler, "sampler must be one of euler, heun, got 'ddim'")),
        ("", 1, 1, "euler", GenerationError(.prompt, "prompt is empty")),
    ] as [(String, Int64?, Int, String, GenerationError)])
    func resolveRejectsBadInput(prompt: String, seed: Int64?, count: Int, sampler: String, error: GenerationError) throws {
        #expect(throws: error) { try GenerationParameters.resolve(prompt: prompt, seed: seed, count: count, sampler: sampler) }
    }

    @Test func samplerNames() throws {
        #expect(SamplerMethod.allCases.map(\.rawValue) == ["euler", "heun"])
        #expect(try SamplerMethod(named: "heun") == .heun)
        #expect(throws: GenerationError(.sampler, "sampler must be one of euler, heun, got 'ddim'")) { try SamplerMethod(named: "ddim") }
    }

    @Test func fieldsAreNamedAsJSONSpellsThem() {
        #expect(GenerationError.Field.allCases.map(\.rawValue) == ["prompt", "negative_prompt", "seed", "count", "steps", "guidance", "sampler"])
        #expect(GenerationError(.negativePrompt, "x").description == "x")
    }

    @Test func successorsWrapInsteadOfTrapping() {
        #expect(GenerationParameters.seeds(startingAt: Int64.max, count: 2) == [Int64.max, Int64.min])
        #expect(GenerationParameters.seeds(startingAt: 5, count: -1).isEmpty)
    }
}
