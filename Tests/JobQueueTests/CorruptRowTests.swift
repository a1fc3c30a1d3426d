import Foundation
import Testing
@testable import JobQueue

/// Rows changed outside fae-t2i (a bad tool, a damaged disk): clear errors, never a crash, and
/// one bad job never stops the others.
@Suite struct CorruptRowTests {
    @Test(arguments: QueueBackend.allCases)
    func undecodableJobIsFailedForGoodAndTheNextIsClaimed(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let poisoned = try await fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1, priority: 5)).job
        let healthy = try await fixture.queue.submit(JobRequest(prompt: "a blue square", seed: 2)).job
        try fixture.execute("UPDATE jobs SET seeds = 'not json' WHERE id = '\(poisoned.id)'")

        let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        #expect(claim.job.id == healthy.id)
        #expect(try fixture.value("SELECT state FROM jobs WHERE id = '\(poisoned.id)'") == "failed")
        #expect(try fixture.value("SELECT error FROM jobs WHERE id = '\(poisoned.id)'")?.contains("seeds") == true)
        #expect(try await fixture.queue.claim(worker: "w", leaseSeconds: 30) == nil)
    }

    /// A sampler no renderer knows can only come from outside: the job fails for good, naming it.
    @Test(arguments: QueueBackend.allCases)
    func unknownSamplerIsFailedForGoodAtClaim(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1)).job
        try fixture.execute("UPDATE jobs SET sampler = 'ddim' WHERE id = '\(job.id)'")
        #expect(try await fixture.queue.claim(worker: "w", leaseSeconds: 30) == nil)
        #expect(try fixture.value("SELECT state FROM jobs WHERE id = '\(job.id)'") == "failed")
        #expect(try fixture.value("SELECT error FROM jobs WHERE id = '\(job.id)'")?.contains("unknown sampler 'ddim'") == true)
    }

    /// A NULL id (SQLite allows it in a TEXT primary key) first in line must not stall the queue.
    /// SQLite only: a PostgreSQL primary key is never NULL.
    @Test func jobWithoutAnIdNeitherStallsTheQueueNorCrashesList() throws {
        let fixture = try SQLiteFixture()
        let poisoned = try fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1, priority: 5)).job
        let healthy = try fixture.queue.submit(JobRequest(prompt: "a blue square", seed: 2)).job
        try fixture.execute("UPDATE jobs SET id = NULL WHERE id = ?", [poisoned.id])
        #expect(try #require(try fixture.queue.claim(worker: "w", leaseSeconds: 30)).job.id == healthy.id)
        #expect(throws: QueueError.self) { try fixture.queue.list() }
    }

    /// Values of another type than the column's: SQLite only, as a PostgreSQL column holds values
    /// of its own type.
    @Test(arguments: [
        "UPDATE jobs SET steps = 'many'",
        "UPDATE jobs SET guidance = x'00ff'",
        "UPDATE jobs SET created_at = 'yesterday'",
        "UPDATE jobs SET priority = 1e300",
    ])
    func columnsOfTheWrongTypeAreCorruptErrors(sql: String) async throws {
        try await expectCorrupt(QueueFixture(.sqlite), sql)
    }

    /// Readable columns outside the rules renderers rely on.
    @Test(arguments: QueueBackend.allCases, [
        "UPDATE jobs SET seeds = '[1, 2, 3]'",
        "UPDATE jobs SET sampler = 'ddim'",
        "UPDATE jobs SET steps = 0",
        "UPDATE jobs SET steps = 5000",
        "UPDATE jobs SET seeds = '[-1]'",
    ])
    func columnsOutsideTheRulesAreCorruptErrors(_ backend: QueueBackend, sql: String) async throws {
        try await expectCorrupt(QueueFixture(backend), sql)
    }

    @Test(arguments: QueueBackend.allCases)
    func infiniteGuidanceIsACorruptError(_ backend: QueueBackend) async throws {
        // 1e999 overflows to infinity in SQLite; PostgreSQL refuses the literal but takes 'Infinity'.
        try await expectCorrupt(QueueFixture(backend), backend == .sqlite ? "UPDATE jobs SET guidance = 1e999"
                                                                          : "UPDATE jobs SET guidance = 'Infinity'")
    }

    func expectCorrupt(_ fixture: QueueFixture, _ sql: String) async throws {
        let job = try await fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1)).job
        try fixture.execute(sql)
        do {
            _ = try await fixture.queue.status(job.id)
            Issue.record("expected a corrupt-row error")
        } catch let error as QueueError {
            #expect(error.code == .corrupt, "\(error)")
            #expect(error.message.contains(job.id))
        }
    }

    @Test(arguments: QueueBackend.allCases)
    func fetchRefusesAnImageThatNoLongerMatchesItsDigest(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        let job = try await fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 1, count: 2)).job
        let claim = try #require(await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        try await fixture.queue.complete(claim, images: QueueFixture.images(for: claim.job), modelID: "test", weightsHash: nil)
        #expect(try await fixture.queue.images(job.id).count == 2)

        let bytes = backend == .sqlite ? "CAST('overwritten' AS BLOB)" : "'overwritten'::bytea"
        try fixture.execute("UPDATE images SET jpeg = \(bytes) WHERE job_id = '\(job.id)' AND image_index = 1")
        do {
            _ = try await fixture.queue.images(job.id)
            Issue.record("expected a digest mismatch")
        } catch let error as QueueError {
            #expect(error.code == .corrupt)
            #expect(error.message.contains(job.id) && error.message.contains("image 1"))
        }
    }
}
