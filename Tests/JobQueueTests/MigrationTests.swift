import Foundation
import GRDB
import Testing
import TestSupport
@testable import JobQueue

@Suite struct MigrationTests {
    @Test func migrationsAreRecordedOnceAndReopenIsANoOp() throws {
        let fixture = try QueueFixture()
        _ = try JobQueue(path: fixture.path, migrations: QueueFixture.migrations())
        let db = try DatabaseQueue(path: fixture.path)
        let versions = try db.read { try Int.fetchAll($0, sql: "SELECT version FROM schema_migrations ORDER BY version") }
        #expect(versions == (try QueueFixture.migrations()).map(\.version))
        #expect(try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test func oldDatabaseUpgradesInPlace() throws {
        let directory = try TestPaths.temporaryDirectory("migrate")
        let path = directory.appendingPathComponent("q.sqlite").path
        let all = try QueueFixture.migrations()
        let jobID = "0123456789abcdef"
        // A queue made by the first release, with a job in it (raw SQL: today's code reads later columns).
        _ = try JobQueue(path: path, migrations: Array(all.prefix(1)))
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                INSERT INTO jobs (id, state, prompt, seeds, image_count, steps, guidance, sampler, run_after, created_at, updated_at)
                VALUES (?, 'queued', 'kept', '[1]', 1, 25, 3, 'euler', 0, 0, 0)
                """, arguments: [jobID])
        }
        let next = Migration(version: all.last!.version + 1, name: "test_column",
                             sql: "ALTER TABLE jobs ADD COLUMN note TEXT NOT NULL DEFAULT 'x';")
        let upgraded = try JobQueue(path: path, migrations: all + [next])
        #expect(try upgraded.status(jobID).parameters.prompt == "kept")
        #expect(try upgraded.status(jobID).warning == nil)
        let note = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "SELECT note FROM jobs") }
        #expect(note == "x")
    }

    @Test func newerSchemaIsRefused() throws {
        let directory = try TestPaths.temporaryDirectory("newer")
        let path = directory.appendingPathComponent("q.sqlite").path
        let all = try QueueFixture.migrations()
        let future = Migration(version: 9_999, name: "future", sql: "CREATE TABLE future (x INTEGER);")
        _ = try JobQueue(path: path, migrations: all + [future])
        #expect(throws: QueueError.self) { try JobQueue(path: path, migrations: all) }
        do { _ = try JobQueue(path: path, migrations: all) } catch let error as QueueError {
            #expect(error.code == .newerSchema)
        }
    }

    @Test func failingMigrationRollsBack() throws {
        let directory = try TestPaths.temporaryDirectory("broken")
        let path = directory.appendingPathComponent("q.sqlite").path
        let all = try QueueFixture.migrations()
        let broken = Migration(version: 9_000, name: "broken", sql: "CREATE TABLE half (x INTEGER); SELECT * FROM nowhere;")
        #expect(throws: QueueError.self) { try JobQueue(path: path, migrations: all + [broken]) }
        let tables = try DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(!tables.contains("half"))
    }

    @Test func notADatabaseIsAClearError() throws {
        let directory = try TestPaths.temporaryDirectory("garbage")
        let path = directory.appendingPathComponent("q.sqlite").path
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        do {
            _ = try JobQueue(path: path, migrations: QueueFixture.migrations())
            Issue.record("expected an error")
        } catch let error as QueueError {
            #expect(error.code == .notADatabase)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x41, count: 4096))
    }
}
