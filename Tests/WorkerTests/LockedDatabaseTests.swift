import Foundation
import GRDB
import JobQueue
import Testing
import TestSupport

@Suite struct LockedDatabaseTests {
    /// Another process holding an exclusive lock for a while must only delay the worker.
    @Test func workerWaitsOutAnExclusiveLock() throws {
        let runner = CommandRunner()
        try #require(runner.isAvailable, "build the fae-t2i binary first (make test does)")
        let folder = try TestPaths.temporaryDirectory("locked")
        let path = folder.appendingPathComponent("queue.sqlite").path
        let queue = try openTestQueue(path)
        let job = try queue.submit(JobRequest(prompt: "a blue square", seed: 1)).job

        let locker = try DatabaseQueue(path: path)
        try locker.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            let worker = try runner.spawn(["worker", "--renderer", "reference", "--db", path, "--exit-when-idle", "--poll", "0.05"])
            Thread.sleep(forTimeInterval: 2)
            #expect(worker.isRunning, "the worker must wait for the lock, not die")
            try db.execute(sql: "COMMIT")
            #expect(CommandRunner.waitForExit(worker) == 0)
        }
        #expect(try queue.status(job.id).state == .succeeded)
    }
}
