import Foundation
import GRDB

/// Applies numbered migrations in order, each once, each in its own `BEGIN IMMEDIATE` transaction
/// that also records it in `schema_migrations`. Safe when several processes open a new database at
/// once: whoever takes the write lock first applies a migration, the others see it recorded.
struct MigrationRunner {
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
                } catch {
                    throw QueueError(.migrationFailed,
                        "migration \(migration.version)_\(migration.name) failed on \(path): \(error)")
                }
                try db.execute(sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                               arguments: [migration.version, migration.name, Date().timeIntervalSince1970])
            }
        }
    }

    private func runImmediate(_ body: (Database) throws -> Void) throws {
        try JobQueue.immediate(database, path: path, body)
    }
}
