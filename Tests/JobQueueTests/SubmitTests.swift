import Digest
import Foundation
import Generation
import Testing
@testable import JobQueue

@Suite struct SubmitTests {
    @Test(arguments: QueueBackend.allCases)
    func submitStoresParametersAndSeeds(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let result = try await fixture.queue.submit(JobRequest(prompt: "a red circle", negativePrompt: "blur", seed: 7, count: 3,
                                                         steps: 30, guidance: 2.5, priority: 5))
        let job = try await fixture.queue.status(result.job.id)
        #expect(job.state == .queued)
        #expect(job.parameters.seeds == [7, 8, 9])
        #expect(job.parameters.prompt == "a red circle" && job.parameters.negativePrompt == "blur")
        #expect(job.parameters.steps == 30 && job.parameters.guidance == 2.5 && job.priority == 5 && job.maxAttempts == 3)
    }

    @Test(arguments: QueueBackend.allCases)
    func drawnSeedsAreStored(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "a blue square", count: 4)).job
        #expect(job.parameters.seeds.count == 4)
        #expect(try await fixture.queue.status(job.id).parameters.seeds == job.parameters.seeds)
    }

    @Test(arguments: QueueBackend.allCases)
    func idempotencyKeyReturnsExistingJob(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let first = try await fixture.queue.submit(JobRequest(prompt: "a red circle", idempotencyKey: "k1"))
        let second = try await fixture.queue.submit(JobRequest(prompt: "a red circle", idempotencyKey: "k1"))
        #expect(!first.reusedExisting && second.reusedExisting)
        #expect(first.job.id == second.job.id)
        #expect(try await fixture.queue.list().count == 1)
    }

    /// As payment APIs do: a key names one request, and reusing it for another is a mistake to report.
    @Test(arguments: QueueBackend.allCases, [
        JobRequest(prompt: "something else", seed: 4, idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", seed: 5, idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", seed: 4, count: 2, idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", seed: 4, guidance: 4, idempotencyKey: "k1"),
        JobRequest(prompt: "a red circle", seed: 4, priority: 1, idempotencyKey: "k1"),
    ])
    func idempotencyKeyReusedWithOtherParametersIsRefused(_ backend: QueueBackend, request: JobRequest) async throws {
        let fixture = try await QueueFixture(backend)
        let first = try await fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 4, idempotencyKey: "k1")).job
        do {
            _ = try await fixture.queue.submit(request)
            Issue.record("expected an idempotency conflict")
        } catch let error as QueueError {
            #expect(error.code == .idempotencyConflict)
            #expect(error.message.contains("k1") && error.message.contains(first.id))
        }
        #expect(try await fixture.queue.list().map(\.id) == [first.id])
    }

    /// The byte limit itself is `GenerationParameters`' (GenerationTests); a prompt at it is stored whole.
    @Test(arguments: QueueBackend.allCases)
    func promptAtTheByteLimitIsStoredWhole(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let atLimit = String(repeating: "\u{1F600}", count: GenerationParameters.maxPromptBytes / 4)
        #expect(try await fixture.queue.submit(JobRequest(prompt: atLimit)).job.parameters.prompt == atLimit)
    }

    /// The queue's own fields; the parameters' rules are tested in GenerationTests.
    @Test(arguments: [
        (JobRequest(prompt: "ok", priority: 5_000), "priority must be between -1000 and 1000, got 5000"),
        (JobRequest(prompt: "ok", priority: -1_001), "priority must be between -1000 and 1000, got -1001"),
        (JobRequest(prompt: "ok", maxAttempts: 0), "max attempts must be between 1 and 100, got 0"),
        (JobRequest(prompt: "ok", maxAttempts: 101), "max attempts must be between 1 and 100, got 101"),
        (JobRequest(prompt: "ok", idempotencyKey: ""), "idempotency key must be 1-200 printable characters (at most 800 UTF-8 bytes)"),
        (JobRequest(prompt: "ok", idempotencyKey: "a\u{7}b"), "idempotency key must be 1-200 printable characters (at most 800 UTF-8 bytes)"),
    ])
    func badQueueFieldsAreRejected(request: JobRequest, message: String) throws {
        #expect(throws: QueueError(.invalidRequest, message)) { try request.validate() }
    }

    @Test func validRequestPassesTheQueuesChecks() throws {
        try JobRequest(prompt: "ok", priority: 1_000, idempotencyKey: String(repeating: "k", count: 200), maxAttempts: 100).validate()
    }

    /// Stored digests were computed from the fields `--seed` gives: the first seed (or "random")
    /// and the count. A request must hash as before, so a reused key still finds its first job.
    @Test func digestKeepsItsEncoding() throws {
        func expected(_ seed: String, count: Int) -> String {
            let fields = ["a red circle", "blur", seed, String(count), "30", String((2.5).bitPattern), "heun", "5", "3"]
            return SHA256Hex.of(Data(fields.map { "\($0.utf8.count):\($0)" }.joined().utf8))
        }
        let given = JobRequest(prompt: "a red circle", negativePrompt: "blur", seed: 7, count: 3, steps: 30, guidance: 2.5,
                               sampler: .heun, priority: 5)
        #expect(given.digest == expected("7", count: 3))
        let drawn = JobRequest(prompt: "a red circle", negativePrompt: "blur", count: 3, steps: 30, guidance: 2.5,
                               sampler: .heun, priority: 5)
        #expect(drawn.seedsDrawn && drawn.digest == expected("random", count: 3))
        // Seeds that do not follow one another cannot share the first seed's encoding.
        var scattered = given
        scattered.parameters.seeds = [7, 9, 8]
        #expect(scattered.digest == expected("[7,9,8]", count: 3))
    }

    /// A job stored before digests existed is compared field by field; drawn seeds match any seeds.
    @Test(arguments: QueueBackend.allCases)
    func jobWithoutADigestIsComparedByItsFields(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let first = try await fixture.queue.submit(JobRequest(prompt: "a red circle", count: 2, idempotencyKey: "k1")).job
        try fixture.execute("UPDATE jobs SET request_digest = NULL")
        let again = try await fixture.queue.submit(JobRequest(prompt: "a red circle", count: 2, idempotencyKey: "k1"))
        #expect(again.reusedExisting && again.job.id == first.id)
        let sameSeeds = try await fixture.queue.submit(JobRequest(parameters: first.parameters, idempotencyKey: "k1"))
        #expect(sameSeeds.reusedExisting && sameSeeds.job.id == first.id)
        var otherSeeds = first.parameters
        otherSeeds.seeds = otherSeeds.seeds.map { $0 == 0 ? 1 : 0 }
        for other in [JobRequest(prompt: "a red circle", count: 3, idempotencyKey: "k1"),
                      JobRequest(prompt: "a red circle", count: 2, steps: 5, idempotencyKey: "k1"),
                      JobRequest(parameters: otherSeeds, idempotencyKey: "k1")] {
            await #expect(throws: QueueError.self) { try await fixture.queue.submit(other) }
        }
    }

    @Test(arguments: QueueBackend.allCases)
    func sqlInPromptIsJustText(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let prompt = "'); DROP TABLE jobs;--"
        let job = try await fixture.queue.submit(JobRequest(prompt: prompt)).job
        #expect(try await fixture.queue.status(job.id).parameters.prompt == prompt)
        #expect(try await fixture.queue.list().count == 1)
    }

    @Test(arguments: QueueBackend.allCases)
    func malformedAndUnknownIDs(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        await #expect(throws: QueueError(.malformedJobID, "malformed job id 'xyz': expected 16 lowercase hex digits")) {
            try await fixture.queue.status("xyz")
        }
        await #expect(throws: QueueError(.unknownJob, "no job with id 0123456789abcdef")) {
            try await fixture.queue.status("0123456789abcdef")
        }
    }
}
