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
        let second = try fixture.queue.submit(JobRequest(prompt: "a red circle", idempotencyKey: "k1"))
        #expect(!first.reusedExisting && second.reusedExisting)
        #expect(first.job.id == second.job.id)
        #expect(try fixture.queue.list().count == 1)
    }

    /// As payment APIs do: a key names one request, and reusing it for another is a mistake to report.
    @Test(arguments: [
        JobRequest(prompt: "something else", seed: 4, idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", seed: 5, idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", seed: 4, count: 2, idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", seed: 4, guidance: 4, idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", seed: 4, priority: 1, idempotencyKey: "k1"),
    ])
    func idempotencyKeyReusedWithOtherParametersIsRefused(request: JobRequest) throws {
        let fixture = try QueueFixture()
        let first = try fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 4, idempotencyKey: "k1")).job
        do {
            try fixture.queue.submit(request)
            Issue.record("expected an idempotency conflict")
        } catch let error as QueueError {
            #expect(error.code == .idempotencyConflict)
            #expect(error.message.contains("k1") && error.message.contains(first.id))
        }
        #expect(try fixture.queue.list().map(\.id) == [first.id])
    }

    @Test func promptLimitCountsBytesToo() throws {
        let fixture = try QueueFixture()
        // Two characters, 60,001 bytes: combining marks pile onto one character.
        let heavy = "a" + String(repeating: "\u{301}", count: 30_000)
        #expect(heavy.count <= JobRequest.maxPromptCharacters)
        for request in [JobRequest(prompt: heavy), JobRequest(prompt: "ok", negativePrompt: heavy)] {
            do {
                try fixture.queue.submit(request)
                Issue.record("expected the byte limit")
            } catch let error as QueueError {
                #expect(error.code == .invalidRequest && error.message.contains("bytes"))
            }
        }
        let atLimit = String(repeating: "\u{1F600}", count: JobRequest.maxPromptBytes / 4)
        #expect(try fixture.queue.submit(JobRequest(prompt: atLimit)).job.prompt == atLimit)
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
