import Foundation
import Testing
import JobQueue

/// `queue copy`: every job, in every state, with its images, from one database to the other and
/// back, unchanged.
@Suite struct QueueCopyTests {
    @Test(arguments: [(QueueBackend.sqlite, QueueBackend.postgres), (.postgres, .sqlite)])
    func everyJobArrivesWithItsStateAndImages(from: QueueBackend, to: QueueBackend) async throws {
        let source = try await QueueFixture(from)
        let queue = source.queue
        let done = try await queue.submit(JobRequest(prompt: "a red circle", seed: 3, count: 2, idempotencyKey: "k1")).job
        let claim = try #require(try await queue.claim(worker: "w", leaseSeconds: 30))
        try await queue.complete(claim, images: QueueFixture.images(for: claim.job), modelID: "reference", weightsHash: "abc",
                                 warning: "a warning")
        let running = try await queue.submit(JobRequest(prompt: "two green triangles", seed: 1)).job
        let held = try #require(try await queue.claim(worker: "w", leaseSeconds: 30))
        _ = try await queue.heartbeat(held, step: 3, total: 25, leaseSeconds: 30)
        let canceled = try await queue.cancel(try await queue.submit(JobRequest(prompt: "a blue square")).job.id)
        let queued = try await queue.submit(JobRequest(prompt: "a yellow diamond", priority: 5)).job

        let target = try await QueueFixture(to)
        var copy = QueueCopy(from: queue, to: target.queue)
        copy.pageSize = 2  // several pages
        let report = try await copy.run(replace: false)
        #expect(report.jobs == 4 && report.images == 2 && report.replaced == 0)

        for id in [done.id, running.id, canceled.id, queued.id] {
            #expect(try await target.queue.status(id) == (try await queue.status(id)), "job \(id)")
        }
        #expect(try await target.queue.images(done.id) == (try await queue.images(done.id)))
        // The lease came along: the worker holding it can finish the job on the new database.
        try await target.queue.complete(held, images: QueueFixture.images(for: held.job), modelID: "reference", weightsHash: nil)
        // The idempotency key still answers with the first job.
        let again = try await target.queue.submit(JobRequest(prompt: "a red circle", seed: 3, count: 2, idempotencyKey: "k1"))
        #expect(again.reusedExisting && again.job.id == done.id)
        // The next claim is the queued job, as it would have been on the source.
        #expect(try await target.queue.claim(worker: "w2", leaseSeconds: 30)?.job.id == queued.id)
    }

    @Test(arguments: QueueBackend.allCases)
    func aTargetWithJobsIsRefusedUnlessReplaced(_ backend: QueueBackend) async throws {
        let source = try await QueueFixture(.sqlite)
        let kept = try await source.queue.submit(JobRequest(prompt: "a red circle")).job
        let target = try await QueueFixture(backend)
        let other = try await target.queue.submit(JobRequest(prompt: "three orange squares")).job
        let copy = QueueCopy(from: source.queue, to: target.queue)
        await #expect(throws: QueueError.self) { try await copy.run(replace: false) }
        #expect(try await target.queue.counts()[.queued] == 1)

        let report = try await copy.run(replace: true)
        #expect(report.jobs == 1 && report.replaced == 1)
        #expect(try await target.queue.status(kept.id).parameters.prompt == "a red circle")
        await #expect(throws: QueueError.self) { try await target.queue.status(other.id) }
    }
}
