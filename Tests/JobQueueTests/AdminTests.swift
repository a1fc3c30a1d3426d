import Foundation
import Testing
@testable import JobQueue

@Suite struct AdminTests {
    @Test(arguments: QueueBackend.allCases)
    func cancelQueuedIsImmediate(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x")).job
        #expect(try await fixture.queue.cancel(job.id).state == .canceled)
        #expect(try await fixture.queue.claim(worker: "w", leaseSeconds: 30) == nil)
        await #expect(throws: QueueError.self) { try await fixture.queue.cancel(job.id) }
    }

    @Test(arguments: QueueBackend.allCases)
    func cancelRunningStopsAtHeartbeatWithNoImages(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x")).job
        let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        #expect(try await fixture.queue.cancel(job.id).state == .running)
        #expect(try await fixture.queue.heartbeat(claim, step: 1, total: 5, leaseSeconds: 30) == .cancelRequested)
        try await fixture.queue.acknowledgeCancel(claim)
        let canceled = try await fixture.queue.status(job.id)
        #expect(canceled.state == .canceled && canceled.images.isEmpty)
    }

    @Test(arguments: QueueBackend.allCases)
    func cancelBeforeCompleteDropsImages(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x")).job
        let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        _ = try await fixture.queue.cancel(job.id)
        #expect(try await fixture.queue.complete(claim, images: QueueFixture.images(for: job), modelID: "m", weightsHash: nil) == .canceled)
        #expect(try await fixture.queue.status(job.id).images.isEmpty)
        #expect(try await fixture.queue.storedImageIndices().isEmpty)
    }

    @Test(arguments: QueueBackend.allCases)
    func retryRequeuesFailedAndCanceledOnly(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x", maxAttempts: 1)).job
        await #expect(throws: QueueError.self) { try await fixture.queue.retry(job.id) }
        let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        #expect(try await fixture.queue.fail(claim, error: "boom") == .failed)
        let retried = try await fixture.queue.retry(job.id)
        #expect(retried.state == .queued && retried.attempts == 0 && retried.error == nil)
    }

    @Test(arguments: QueueBackend.allCases)
    func fetchRequiresSuccess(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x")).job
        await #expect(throws: QueueError.self) { try await fixture.queue.images(job.id) }
    }

    @Test(arguments: QueueBackend.allCases)
    func pruneRemovesOnlyOldFinishedJobsAndTheirImages(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let old = try await fixture.queue.submit(JobRequest(prompt: "old")).job
        let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        try await fixture.queue.complete(claim, images: QueueFixture.images(for: old), modelID: "m", weightsHash: nil)
        let pending = try await fixture.queue.submit(JobRequest(prompt: "pending")).job
        fixture.clock.advance(8 * 86_400)
        let recent = try await fixture.queue.submit(JobRequest(prompt: "recent")).job
        _ = try await fixture.queue.cancel(recent.id)
        #expect(try await fixture.queue.prune(olderThan: 7 * 86_400) == 1)
        await #expect(throws: QueueError.self) { try await fixture.queue.status(old.id) }
        #expect(try await fixture.queue.status(pending.id).state == .queued)
        #expect(try await fixture.queue.status(recent.id).state == .canceled)
        #expect(try await fixture.queue.storedImageIndices().isEmpty)
    }
}
