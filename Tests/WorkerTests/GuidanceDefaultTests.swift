import Generation
import JobQueue
import Sampler
import Testing
import Worker

/// One default CFG weight: every entry point takes `GenerationParameters.defaultGuidance`.
struct GuidanceDefaultTests {
    @Test func everyEntryPointDefaultsToTheOneGuidance() {
        let expected = GenerationParameters.defaultGuidance
        #expect(expected == 3)
        #expect(JobRequest(prompt: "a red circle").parameters.guidance == expected)
        #expect(GenerationParameters(prompt: "a red circle", seeds: [1]).guidance == expected)
        #expect(FlowSamplerConfiguration().guidanceScale == expected)
    }
}
