import Foundation
import Testing
@testable import JobQueue

/// Pages of `list`, the jobs finished since a time, and the workers seen: what the HTTP server reads.
@Suite struct ListingTests {
    @Test(arguments: QueueBackend.allCases)
    func listPagesBeforeAJob(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        var ids: [String] = []
        for index in 0..<5 {
            ids.append(try await fixture.queue.submit(JobRequest(prompt: "job \(index)")).job.id)
            fixture.clock.advance(1)
        }
        #expect(try await fixture.queue.list(state: nil, limit: 2, before: ids[3]).map(\.id) == [ids[2], ids[1]])
        #expect(try await fixture.queue.list(state: .queued, limit: 10, before: ids[1]).map(\.id) == [ids[0]])
        #expect(try await fixture.queue.list(state: .running, limit: 10, before: ids[4]).isEmpty)
        #expect(try await fixture.queue.list(state: nil, limit: 10, before: ids[0]).isEmpty)
        await #expect(throws: QueueError.self) { try await fixture.queue.list(state: nil, limit: 2, before: "0123456789abcdef") }
        await #expect(throws: QueueError.self) { try await fixture.queue.list(state: nil, limit: 2, before: "nope") }
    }

    @Test(arguments: QueueBackend.allCases)
    func finishedJobsComeInTheOrderTheyFinished(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let start = Date(timeIntervalSince1970: fixture.clock.time())
        let first = try await fixture.queue.submit(JobRequest(prompt: "first")).job
        let second = try await fixture.queue.submit(JobRequest(prompt: "second")).job
        fixture.clock.advance(1)
        _ = try await fixture.queue.cancel(second.id)
        fixture.clock.advance(1)
        let claim = try #require(try await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        try await fixture.queue.complete(claim, images: QueueFixture.images(for: first), modelID: "m", weightsHash: nil)
        let finished = try await fixture.queue.finished(after: start, limit: 10)
        #expect(finished.map(\.id) == [second.id, first.id])
        #expect(try await fixture.queue.finished(after: finished[0].finishedAt!, limit: 10).map(\.id) == [first.id])
        #expect(try await fixture.queue.finished(after: start, limit: 1).map(\.id) == [second.id])
    }

    @Test(arguments: QueueBackend.allCases)
    func workersAreSeenWhenTheyClaimAndForgottenByPrune(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let now = { Date(timeIntervalSince1970: fixture.clock.time()) }
        #expect(try await fixture.queue.workersSeen(since: now().addingTimeInterval(-60)) == 0)
        _ = try await fixture.queue.claim(worker: "a", leaseSeconds: 30)
        _ = try await fixture.queue.claim(worker: "b", leaseSeconds: 30)
        _ = try await fixture.queue.claim(worker: "a", leaseSeconds: 30)
        #expect(try await fixture.queue.workersSeen(since: now().addingTimeInterval(-60)) == 2)
        fixture.clock.advance(120)
        #expect(try await fixture.queue.workersSeen(since: now().addingTimeInterval(-60)) == 0)
        _ = try await fixture.queue.prune(olderThan: 60)
        fixture.clock.advance(-120)
        #expect(try await fixture.queue.workersSeen(since: now().addingTimeInterval(-60)) == 0)
    }
}
