import Digest
import Foundation
import Testing
@testable import JobQueue

@Suite struct LeaseTests {
    @Test(arguments: QueueBackend.allCases)
    func claimOrderIsPriorityThenAge(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let low = try await fixture.queue.submit(JobRequest(prompt: "low", priority: 0)).job
        fixture.clock.advance(1)
        let high = try await fixture.queue.submit(JobRequest(prompt: "high", priority: 10)).job
        fixture.clock.advance(1)
        let lowLater = try await fixture.queue.submit(JobRequest(prompt: "low later", priority: 0)).job
        var order: [String] = []
        for _ in 0..<3 { order.append(try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30)).job.id) }
        #expect(order == [high.id, low.id, lowLater.id])
        #expect(try await fixture.queue.claim(worker: "w", leaseSeconds: 30) == nil)
    }

    @Test(arguments: QueueBackend.allCases)
    func completeStoresImagesAndSucceeds(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 3, count: 2)).job
        let claim = try #require(await fixture.queue.claim(worker: "w1", leaseSeconds: 30))
        #expect(claim.job.attempts == 1 && claim.job.state == .running)
        #expect(try await fixture.queue.heartbeat(claim, step: 5, total: 25, leaseSeconds: 30) == .keepGoing)
        #expect(try await fixture.queue.status(job.id).progressStep == 5)
        #expect(try await fixture.queue.complete(claim, images: QueueFixture.images(for: claim.job), modelID: "reference",
                                                 weightsHash: nil) == .succeeded)
        let done = try await fixture.queue.status(job.id)
        #expect(done.state == .succeeded && done.modelID == "reference")
        #expect(done.images.map(\.seed) == [3, 4])
        #expect(done.images[0].sha256 == SHA256Hex.of(QueueFixture.image(0, seed: 3).jpeg))
        #expect(try await fixture.queue.images(job.id).map(\.jpeg) == QueueFixture.images(for: claim.job).map(\.jpeg))
        #expect(done.warning == nil)
    }

    @Test(arguments: QueueBackend.allCases)
    func completeKeepsTheRenderersWarning(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 3)).job
        let claim = try #require(await fixture.queue.claim(worker: "w1", leaseSeconds: 30))
        _ = try await fixture.queue.complete(claim, images: QueueFixture.images(for: claim.job), modelID: "m", weightsHash: nil,
                                             warning: "the last 2 tokens are ignored")
        let done = try await fixture.queue.status(job.id)
        #expect(done.state == .succeeded && done.warning == "the last 2 tokens are ignored")
        let json = String(decoding: try JSONEncoder().encode(done), as: UTF8.self)
        #expect(json.contains("\"warning\":\"the last 2 tokens are ignored\""), "\(json)")
    }

    @Test(arguments: QueueBackend.allCases)
    func completeRejectsWrongImageSet(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        _ = try await fixture.queue.submit(JobRequest(prompt: "x", count: 2))
        let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        await #expect(throws: QueueError.self) {
            try await fixture.queue.complete(claim, images: [QueueFixture.image(0, seed: 1)], modelID: "reference", weightsHash: nil)
        }
        #expect(try await fixture.queue.status(claim.job.id).state == .running)
    }

    @Test(arguments: QueueBackend.allCases)
    func expiredLeaseIsReclaimedAndStaleTokenIsRejected(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x")).job
        let first = try #require(await fixture.queue.claim(worker: "w1", leaseSeconds: 10))
        #expect(try await fixture.queue.claim(worker: "w2", leaseSeconds: 10) == nil)
        fixture.clock.advance(11)
        let second = try #require(await fixture.queue.claim(worker: "w2", leaseSeconds: 10))
        #expect(second.job.id == job.id && second.job.attempts == 2)
        let images = QueueFixture.images(for: job)
        await #expect(throws: QueueError.self) { try await fixture.queue.complete(first, images: images, modelID: "m", weightsHash: nil) }
        await #expect(throws: QueueError.self) { try await fixture.queue.heartbeat(first, step: 1, total: 2, leaseSeconds: 10) }
        await #expect(throws: QueueError.self) { try await fixture.queue.fail(first, error: "boom") }
        await #expect(throws: QueueError.self) { try await fixture.queue.release(first) }
        #expect(try await fixture.queue.complete(second, images: images, modelID: "m", weightsHash: nil) == .succeeded)
    }

    @Test(arguments: QueueBackend.allCases)
    func heartbeatKeepsLeaseAlive(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        _ = try await fixture.queue.submit(JobRequest(prompt: "x"))
        let claim = try #require(await fixture.queue.claim(worker: "w1", leaseSeconds: 10))
        for _ in 0..<5 {
            fixture.clock.advance(8)
            #expect(try await fixture.queue.heartbeat(claim, step: 1, total: 5, leaseSeconds: 10) == .keepGoing)
            #expect(try await fixture.queue.claim(worker: "w2", leaseSeconds: 10) == nil)
        }
    }

    @Test(arguments: QueueBackend.allCases)
    func retriesBackOffExponentiallyThenFail(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x", maxAttempts: 3)).job
        var delays: [TimeInterval] = []
        for attempt in 1...3 {
            let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
            #expect(claim.job.attempts == attempt)
            switch try await fixture.queue.fail(claim, error: "boom \(attempt)") {
            case .retryScheduled(let delay):
                delays.append(delay)
                #expect(try await fixture.queue.claim(worker: "w", leaseSeconds: 30) == nil)  // still backing off
                fixture.clock.advance(delay)
            case .failed:
                #expect(attempt == 3)
            }
        }
        #expect(delays == [2, 4])
        let failed = try await fixture.queue.status(job.id)
        #expect(failed.state == .failed && failed.error == "boom 3" && failed.attempts == 3)
    }

    @Test(arguments: QueueBackend.allCases)
    func leaseExpiryOnLastAttemptFails(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x", maxAttempts: 1)).job
        _ = try #require(await fixture.queue.claim(worker: "w1", leaseSeconds: 5))
        fixture.clock.advance(6)
        #expect(try await fixture.queue.claim(worker: "w2", leaseSeconds: 5) == nil)
        let failed = try await fixture.queue.status(job.id)
        #expect(failed.state == .failed && failed.attempts == 1)
        #expect(failed.error?.contains("lost its lease") == true)
    }

    @Test(arguments: QueueBackend.allCases)
    func releaseRequeuesWithoutCountingTheAttempt(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "x")).job
        let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        try await fixture.queue.release(claim)
        let released = try await fixture.queue.status(job.id)
        #expect(released.state == .queued && released.attempts == 0)
    }
}
