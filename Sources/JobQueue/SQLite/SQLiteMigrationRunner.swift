import Foundation
import GRDB

/// Applies numbered migrations in order, each once, each in its own `BEGIN IMMEDIATE` transaction
/// that also records it in `schema_migrations`. Safe when several processes open a new database at
/// once: whoever takes the write lock first applies a migration, the others see it recorded.
struct SQLiteMigrationRunner {
    let database: DatabaseQueue
    let path: String

    func apply(_ migrations: [Migration]) throws {
        let newest = migrations.last?.version ?? 0
        try runImmediate { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT NOT NULL,
                    applied_at REAL NOT NULL
                )
                """)
            let recorded = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM schema_migrations") ?? 0
            if recorded > newest {
                throw QueueError(.newerSchema,
                    "database \(path) has schema version \(recorded), newer than this fae-t2i knows (\(newest)); upgrade fae-t2i")
            }
        }
        for migration in migrations {
            try runImmediate { db in
                let applied = try Bool.fetchOne(db, sql: "SELECT 1 FROM schema_migrations WHERE version = ?",
                                                arguments: [migration.version]) ?? false
                guard !applied else { return }
                do {
                    try db.execute(sql: migration.sql)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
                    throw SQLiteJobQueue.translate(error, path: path)
                } catch {
                    throw QueueError(.migrationFailed,
                        "migration \(migration.version)_\(migration.name) failed on \(path): \(error)")
                }
                try db.execute(sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                               arguments: [migration.version, migration.name, Date().timeIntervalSince1970])
            }
        }
    }

    /// For read-only opens: the database must be a queue whose schema is exactly `migrations`.
    func checkCurrent(_ migrations: [Migration]) throws {
        let newest = migrations.last?.version ?? 0
        let recorded: Int
        do {
            recorded = try database.read { db in
                guard try Self.hasMigrationTable(db) else {
                    throw QueueError(.notADatabase, "\(path) is a SQLite database but not a fae-t2i queue (no schema_migrations table)")
                }
                return try Int.fetchOne(db, sql: "SELECT MAX(version) FROM schema_migrations") ?? 0
            }
        } catch {
            throw SQLiteJobQueue.translate(error, path: path)
        }
        if recorded > newest {
            throw QueueError(.newerSchema,
                "database \(path) has schema version \(recorded), newer than this fae-t2i knows (\(newest)); upgrade fae-t2i")
        }
        if recorded < newest {
            throw QueueError(.olderSchema,
                "database \(path) has schema version \(recorded) and this fae-t2i reads \(newest); it is opened read-only, so "
                + "upgrade it once with a command that writes (e.g. `fae-t2i prune`) as a user who may write the file")
        }
    }

    static func hasMigrationTable(_ db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") == 1
    }

    private func runImmediate(_ body: (Database) throws -> Void) throws {
        try SQLiteJobQueue.immediate(database, path: path, body)
    }
}
