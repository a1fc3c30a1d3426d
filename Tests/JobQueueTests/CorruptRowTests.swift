import Foundation
import GRDB
import Testing
import TestSupport
@testable import JobQueue

/// Rows changed outside fae-t2i (a bad tool, a damaged disk): clear errors, never a crash, and
/// one bad job never stops the others.
@Suite struct CorruptRowTests {
    func tamper(_ fixture: QueueFixture, _ sql: String, _ arguments: StatementArguments = []) throws {
        try DatabaseQueue(path: fixture.path).write { try $0.execute(sql: sql, arguments: arguments) }
    }

    @Test func undecodableJobIsFailedForGoodAndTheNextIsClaimed() throws {
        let fixture = try QueueFixture()
        let poisoned = try fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1, priority: 5)).job
        let healthy = try fixture.queue.submit(JobRequest(prompt: "a blue square", seed: 2)).job
        try tamper(fixture, "UPDATE jobs SET seeds = 'not json' WHERE id = ?", [poisoned.id])

        let claim = try #require(try fixture.queue.claim(worker: "w", leaseSeconds: 30))
        #expect(claim.job.id == healthy.id)
        let state = try DatabaseQueue(path: fixture.path).read {
            try Row.fetchOne($0, sql: "SELECT state, error FROM jobs WHERE id = ?", arguments: [poisoned.id])
        }
        #expect(state?["state"] == "failed")
        #expect((state?["error"] as String?)?.contains("seeds") == true)
        #expect(try fixture.queue.claim(worker: "w", leaseSeconds: 30) == nil)
    }

    /// A sampler no renderer knows can only come from outside: the job fails for good, naming it.
    @Test func unknownSamplerIsFailedForGoodAtClaim() throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1)).job
        try tamper(fixture, "UPDATE jobs SET sampler = 'ddim' WHERE id = ?", [job.id])
        #expect(try fixture.queue.claim(worker: "w", leaseSeconds: 30) == nil)
        let state = try DatabaseQueue(path: fixture.path).read {
            try Row.fetchOne($0, sql: "SELECT state, error FROM jobs WHERE id = ?", arguments: [job.id])
        }
        #expect(state?["state"] == "failed")
        #expect((state?["error"] as String?)?.contains("unknown sampler 'ddim'") == true)
    }

    /// A NULL id (SQLite allows it in a TEXT primary key) first in line must not stall the queue.
    @Test func jobWithoutAnIdNeitherStallsTheQueueNorCrashesList() throws {
        let fixture = try QueueFixture()
        let poisoned = try fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1, priority: 5)).job
        let healthy = try fixture.queue.submit(JobRequest(prompt: "a blue square", seed: 2)).job
        try tamper(fixture, "UPDATE jobs SET id = NULL WHERE id = ?", [poisoned.id])
        #expect(try #require(try fixture.queue.claim(worker: "w", leaseSeconds: 30)).job.id == healthy.id)
        #expect(throws: QueueError.self) { try fixture.queue.list() }
    }

    @Test(arguments: [
        "UPDATE jobs SET steps = 'many'",
        "UPDATE jobs SET guidance = x'00ff'",
        "UPDATE jobs SET seeds = '[1, 2, 3]'",
        "UPDATE jobs SET created_at = 'yesterday'",
        "UPDATE jobs SET priority = 1e300",
        // Readable columns outside the rules renderers rely on.
        "UPDATE jobs SET sampler = 'ddim'",
        "UPDATE jobs SET steps = 0",
        "UPDATE jobs SET guidance = 1e999",
        "UPDATE jobs SET steps = 5000",
        "UPDATE jobs SET seeds = '[-1]'",
    ])
    func columnsOfTheWrongKindAreCorruptErrors(sql: String) throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1)).job
        try tamper(fixture, sql)
        do {
            _ = try fixture.queue.status(job.id)
            Issue.record("expected a corrupt-row error")
        } catch let error as QueueError {
            #expect(error.code == .corrupt, "\(error)")
            #expect(error.message.contains(job.id))
        }
    }

    @Test func fetchRefusesAnImageThatNoLongerMatchesItsDigest() throws {
        let fixture = try QueueFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1, count: 2)).job
        let claim = try #require(try fixture.queue.claim(worker: "w", leaseSeconds: 30))
        try fixture.queue.complete(claim, images: QueueFixture.images(for: claim.job), modelID: "test", weightsHash: nil)
        #expect(try fixture.queue.images(job.id).count == 2)

        try tamper(fixture, "UPDATE images SET jpeg = ? WHERE job_id = ? AND image_index = 1", [Data("overwritten".utf8), job.id])
        do {
            _ = try fixture.queue.images(job.id)
            Issue.record("expected a digest mismatch")
        } catch let error as QueueError {
            #expect(error.code == .corrupt)
            #expect(error.message.contains(job.id) && error.message.contains("image 1"))
        }
    }
}
