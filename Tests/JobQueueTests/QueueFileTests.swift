import Foundation
import GRDB
import Testing
import TestSupport
@testable import JobQueue

/// What `--db` may point at: only a fae-t2i queue is opened; anything else is refused untouched.
@Suite struct QueueFileTests {
    func expectRefused(_ path: String, _ code: QueueError.Code, access: SQLiteJobQueue.Access = .readWrite) throws {
        do {
            _ = try SQLiteJobQueue(path: path, migrations: SQLiteFixture.migrations(), access: access)
            Issue.record("expected \(path) to be refused")
        } catch let error as QueueError {
            #expect(error.code == code, "\(error)")
            #expect(error.message.contains(path))
        }
    }

    @Test func emptyFileIsRefusedUntouched() throws {
        let directory = try TestPaths.temporaryDirectory("empty-db")
        let path = directory.appendingPathComponent("q.sqlite").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        try expectRefused(path, .notADatabase)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["q.sqlite"])
    }

    @Test func devicesAndFoldersAreRefused() throws {
        let journalBefore = FileManager.default.fileExists(atPath: "/dev/null-journal")
        try expectRefused("/dev/null", .notADatabase)
        #expect(FileManager.default.fileExists(atPath: "/dev/null-journal") == journalBefore)
        try expectRefused(try TestPaths.temporaryDirectory("dir-db").path, .notADatabase)
    }

    @Test func anotherProgramsDatabaseIsRefused() throws {
        let directory = try TestPaths.temporaryDirectory("foreign-db")
        let path = directory.appendingPathComponent("app.sqlite").path
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE contacts (name TEXT)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try expectRefused(path, .notADatabase)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "not even the header (journal mode) may change")
        let tables = try DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables == ["contacts"])
    }

    @Test func newQueueLeavesNoStagingFiles() throws {
        let directory = try TestPaths.temporaryDirectory("new-db")
        let path = directory.appendingPathComponent("q.sqlite").path
        let queue = try SQLiteJobQueue(path: path, migrations: SQLiteFixture.migrations())
        try queue.submit(JobRequest(prompt: "a red circle"))
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.allSatisfy { $0.hasPrefix("q.sqlite") }, "\(names)")
    }

    @Test func readOnlyOpenReadsWithoutMigrating() throws {
        let fixture = try SQLiteFixture()
        let job = try fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 2)).job
        let reader = try SQLiteJobQueue(path: fixture.path, migrations: SQLiteFixture.migrations(), access: .readOnly)
        #expect(try reader.status(job.id).parameters.prompt == "a red circle")
        #expect(try reader.list().count == 1)
        #expect(throws: QueueError.self) { try reader.cancel(job.id) }
        #expect(try fixture.queue.status(job.id).state == .queued)
    }

    @Test func readOnlyOpenOfAnOlderSchemaSaysHowToUpgrade() throws {
        let directory = try TestPaths.temporaryDirectory("old-ro")
        let path = directory.appendingPathComponent("q.sqlite").path
        let all = try SQLiteFixture.migrations()
        _ = try SQLiteJobQueue(path: path, migrations: Array(all.prefix(1)))
        try expectRefused(path, .olderSchema, access: .readOnly)
        let versions = try DatabaseQueue(path: path).read { try Int.fetchAll($0, sql: "SELECT version FROM schema_migrations") }
        #expect(versions == [1])
    }

    @Test func readOnlyOpenOfAMissingFileCreatesNothing() throws {
        let directory = try TestPaths.temporaryDirectory("missing-ro")
        let path = directory.appendingPathComponent("q.sqlite").path
        try expectRefused(path, .storage, access: .readOnly)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
