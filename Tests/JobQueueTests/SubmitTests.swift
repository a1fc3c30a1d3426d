import Foundation
import Testing
@testable import JobQueue

@Suite struct SubmitTests {
    @Test func submitStoresParametersAndSeeds() throws {
        let fixture = try QueueFixture()
        let result = try fixture.queue.submit(JobRequest(prompt: "a red circle", negativePrompt: "blur", seed: 7, count: 3,
                                                         steps: 30, guidance: 2.5, priority: 5))
        let job = try fixture.queue.status(result.job.id)
        #expect(job.state == .queued)
        #expect(job.seeds == [7, 8, 9])
        #expect(job.prompt == "a red circle" && job.negativePrompt == "blur")
        #expect(job.steps == 30 && job.guidance == 2.5 && job.priority == 5 && job.maxAttempts == 3)
    }

    @Test func drawnSeedsAreStored() throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "a blue square", count: 4)).job
        #expect(job.seeds.count == 4)
        #expect(try fixture.queue.status(job.id).seeds == job.seeds)
    }

    @Test func idempotencyKeyReturnsExistingJob() throws {
        let fixture = try QueueFixture()
        let first = try fixture.queue.submit(JobRequest(prompt: "a red circle", idempotencyKey: "k1"))
        let second = try fixture.queue.submit(JobRequest(prompt: "something else", idempotencyKey: "k1"))
        #expect(!first.reusedExisting && second.reusedExisting)
        #expect(first.job.id == second.job.id)
        #expect(try fixture.queue.list().count == 1)
    }

    @Test(arguments: [
        JobRequest(prompt: "   "),
        JobRequest(prompt: ""),
        JobRequest(prompt: String(repeating: "a", count: 1_001)),
        JobRequest(prompt: "ok", count: 0),
        JobRequest(prompt: "ok", count: 17),
        JobRequest(prompt: "ok", steps: 0),
        JobRequest(prompt: "ok", guidance: -1),
        JobRequest(prompt: "ok", guidance: .nan),
        JobRequest(prompt: "ok", priority: 5_000),
        JobRequest(prompt: "ok", maxAttempts: 0),
        JobRequest(prompt: "ok", seed: -3),
        JobRequest(prompt: "ok", sampler: "ddim"),
        JobRequest(prompt: "nul\0inside"),
    ])
    func badRequestsAreRejectedAndStoreNothing(request: JobRequest) throws {
        let fixture = try QueueFixture()
        #expect(throws: QueueError.self) { try fixture.queue.submit(request) }
        #expect(try fixture.queue.list().isEmpty)
    }

    @Test func sqlInPromptIsJustText() throws {
        let fixture = try QueueFixture()
        let prompt = "'); DROP TABLE jobs;--"
        let job = try fixture.queue.submit(JobRequest(prompt: prompt)).job
        #expect(try fixture.queue.status(job.id).prompt == prompt)
        #expect(try fixture.queue.list().count == 1)
    }

    @Test func malformedAndUnknownIDs() throws {
        let fixture = try QueueFixture()
        #expect(throws: QueueError(.malformedJobID, "malformed job id 'xyz': expected 16 lowercase hex digits")) {
            try fixture.queue.status("xyz")
        }
        #expect(throws: QueueError(.unknownJob, "no job with id 0123456789abcdef")) {
            try fixture.queue.status("0123456789abcdef")
        }
    }
}
