import Foundation
import Testing
@testable import JobQueue

@Suite struct AdminTests {
    @Test func cancelQueuedIsImmediate() throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "x")).job
        #expect(try fixture.queue.cancel(job.id).state == .canceled)
        #expect(try fixture.queue.claim(worker: "w", leaseSeconds: 30) == nil)
        #expect(throws: QueueError.self) { try fixture.queue.cancel(job.id) }
    }

    @Test func cancelRunningStopsAtHeartbeatWithNoImages() throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "x")).job
        let claim = try #require(try fixture.queue.claim(worker: "w", leaseSeconds: 30))
        #expect(try fixture.queue.cancel(job.id).state == .running)
        #expect(try fixture.queue.heartbeat(claim, step: 1, total: 5, leaseSeconds: 30) == .cancelRequested)
        try fixture.queue.acknowledgeCancel(claim)
        let canceled = try fixture.queue.status(job.id)
        #expect(canceled.state == .canceled && canceled.images.isEmpty)
    }

    @Test func cancelBeforeCompleteDropsImages() throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "x")).job
        let claim = try #require(try fixture.queue.claim(worker: "w", leaseSeconds: 30))
        try fixture.queue.cancel(job.id)
        #expect(try fixture.queue.complete(claim, images: QueueFixture.images(for: job), modelID: "m", weightsHash: nil) == .canceled)
        #expect(try fixture.queue.status(job.id).images.isEmpty)
        #expect(try fixture.queue.imageIndices().isEmpty)
    }

    @Test func retryRequeuesFailedAndCanceledOnly() throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "x", maxAttempts: 1)).job
        #expect(throws: QueueError.self) { try fixture.queue.retry(job.id) }
        let claim = try #require(try fixture.queue.claim(worker: "w", leaseSeconds: 30))
        #expect(try fixture.queue.fail(claim, error: "boom") == .failed)
        let retried = try fixture.queue.retry(job.id)
        #expect(retried.state == .queued && retried.attempts == 0 && retried.error == nil)
    }

    @Test func fetchRequiresSuccess() throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "x")).job
        #expect(throws: QueueError.self) { try fixture.queue.images(job.id) }
    }

    @Test func pruneRemovesOnlyOldFinishedJobsAndTheirImages() throws {
        let fixture = try QueueFixture()
        let old = try fixture.queue.submit(JobRequest(prompt: "old")).job
        let claim = try #require(try fixture.queue.claim(worker: "w", leaseSeconds: 30))
        try fixture.queue.complete(claim, images: QueueFixture.images(for: old), modelID: "m", weightsHash: nil)
        let pending = try fixture.queue.submit(JobRequest(prompt: "pending")).job
        fixture.clock.advance(8 * 86_400)
        let recent = try fixture.queue.submit(JobRequest(prompt: "recent")).job
        try fixture.queue.cancel(recent.id)
        #expect(try fixture.queue.prune(olderThan: 7 * 86_400) == 1)
        #expect(throws: QueueError.self) { try fixture.queue.status(old.id) }
        #expect(try fixture.queue.status(pending.id).state == .queued)
        #expect(try fixture.queue.status(recent.id).state == .canceled)
        #expect(try fixture.queue.imageIndices().isEmpty)
    }
}
