import Foundation
import GRDB
import Testing
import TestSupport
@testable import JobQueue

@Suite struct MigrationTests {
    @Test(arguments: QueueBackend.allCases)
    func migrationsAreRecordedOnceAndReopenIsANoOp(_ backend: QueueBackend) async throws {
        let fixture = try await QueueFixture(backend)
        _ = try await fixture.openAnother()
        let versions = try fixture.values("SELECT version FROM schema_migrations ORDER BY version")
        #expect(versions == (try backend.migrations).map { String($0.version) })
    }

    @Test(arguments: QueueBackend.allCases)
    func oldDatabaseUpgradesInPlace(_ backend: QueueBackend) async throws {
        let all = try backend.migrations
        let jobID = "0123456789abcdef"
        // A queue made by the first release, with a job in it (raw SQL: today's code reads later columns).
        let fixture = try await QueueFixture(backend, migrations: Array(all.prefix(1)))
        try fixture.execute("""
            INSERT INTO jobs (id, state, prompt, seeds, image_count, steps, guidance, sampler, run_after, created_at, updated_at)
            VALUES ('\(jobID)', 'queued', 'kept', '[1]', 1, 25, 3, 'euler', 0, 0, 0)
            """)
        let next = Migration(version: all.last!.version + 1, name: "test_column",
                             sql: "ALTER TABLE jobs ADD COLUMN note TEXT NOT NULL DEFAULT 'x';")
        let upgraded = try await fixture.openAnother(migrations: all + [next])
        #expect(try await upgraded.status(jobID).parameters.prompt == "kept")
        #expect(try await upgraded.status(jobID).warning == nil)
        #expect(try fixture.value("SELECT note FROM jobs") == "x")
    }

    @Test(arguments: QueueBackend.allCases)
    func newerSchemaIsRefused(_ backend: QueueBackend) async throws {
        let all = try backend.migrations
        let future = Migration(version: 9_999, name: "future", sql: "CREATE TABLE future (x INTEGER);")
        let fixture = try await QueueFixture(backend, migrations: all + [future])
        do {
            _ = try await fixture.openAnother(migrations: all)
            Issue.record("expected a newer schema to be refused")
        } catch let error as QueueError {
            #expect(error.code == .newerSchema, "\(error)")
        }
    }

    @Test(arguments: QueueBackend.allCases)
    func failingMigrationRollsBack(_ backend: QueueBackend) async throws {
        let all = try backend.migrations
        let fixture = try await QueueFixture(backend)
        let broken = Migration(version: 9_000, name: "broken", sql: "CREATE TABLE half (x INTEGER); SELECT * FROM nowhere;")
        await #expect(throws: QueueError.self) { try await fixture.openAnother(migrations: all + [broken]) }
        #expect(!(try fixture.tables()).contains("half"))
        #expect(try fixture.values("SELECT MAX(version) FROM schema_migrations") == [String(all.last!.version)])
    }

    /// Readers beside the one writer.
    @Test func sqliteQueueIsInWALMode() throws {
        let fixture = try SQLiteFixture()
        #expect(try DatabaseQueue(path: fixture.path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    }

    @Test func failingMigrationOfANewSQLiteFileRollsBack() throws {
        let directory = try TestPaths.temporaryDirectory("broken")
        let path = directory.appendingPathComponent("q.sqlite").path
        let all = try SQLiteFixture.migrations()
        let broken = Migration(version: 9_000, name: "broken", sql: "CREATE TABLE half (x INTEGER); SELECT * FROM nowhere;")
        #expect(throws: QueueError.self) { try SQLiteJobQueue(path: path, migrations: all + [broken]) }
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
            _ = try SQLiteJobQueue(path: path, migrations: SQLiteFixture.migrations())
            Issue.record("expected an error")
        } catch let error as QueueError {
            #expect(error.code == .notADatabase)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(repeating: 0x41, count: 4096))
    }
}
