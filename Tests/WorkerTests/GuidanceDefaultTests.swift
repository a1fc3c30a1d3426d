import JobQueue
import Sampler
import Testing
import Worker

/// The queue cannot import the sampler, so its default CFG weight is a second copy: keep them equal.
struct GuidanceDefaultTests {
    @Test func everyEntryPointDefaultsToTheSamplersGuidance() {
        let expected = FlowSamplerConfiguration.defaultGuidanceScale
        #expect(JobRequest(prompt: "a red circle").guidance == expected)
        #expect(RenderRequest(prompt: "a red circle", seeds: [1]).guidance == expected)
        #expect(FlowSamplerConfiguration().guidanceScale == expected)
    }
}
