import Foundation
import Logging
import PostgresNIO

/// Applies numbered migrations in order, each once, each in its own transaction that also records
/// it in `schema_migrations`. The whole run holds an advisory lock, so processes opening a new
/// database at once take turns: the first applies what is missing, the others find it recorded.
struct PostgresMigrationRunner {
    let connection: PostgresConnection
    let location: String
    let logger: Logger
    /// For the checks; taking the lock and a migration's own SQL may take as long as a migration
    /// of a big table does (`migrationTimeout`).
    let timeout: Duration
    var migrationTimeout: Duration = .seconds(600)

    /// The advisory lock's key, the same in every fae-t2i ("faet2img").
    static let lockKey: Int64 = 0x6661_6574_3269_6d67

    func apply(_ migrations: [Migration], createIfMissing: Bool, now: Double) async throws {
        let newest = migrations.last?.version ?? 0
        // Most opens find the schema current: that needs no lock.
        if let applied = try await appliedVersions() {
            try checkNotNewer(applied.max() ?? 0, newest: newest)
            if migrations.allSatisfy({ applied.contains($0.version) }) { return }
        }
        try await query("SELECT pg_advisory_lock(\(Self.lockKey))", timeout: migrationTimeout)
        do {
            try await applyLocked(migrations, createIfMissing: createIfMissing, now: now)
        } catch {
            _ = try? await query("SELECT pg_advisory_unlock(\(Self.lockKey))")
            throw error
        }
        _ = try? await query("SELECT pg_advisory_unlock(\(Self.lockKey))")
    }

    private func applyLocked(_ migrations: [Migration], createIfMissing: Bool, now: Double) async throws {
        let newest = migrations.last?.version ?? 0
        var applied: Set<Int>
        if let recorded = try await appliedVersions() {
            applied = recorded
        } else {
            guard try await tableCount() == 0 else { throw notAQueue() }
            guard createIfMissing else {
                throw QueueError(.storage, "database \(location) holds no queue yet (submit a job first, or pass another --db)")
            }
            try await query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at double precision NOT NULL
                )
                """)
            applied = []
        }
        try checkNotNewer(applied.max() ?? 0, newest: newest)
        let pending = migrations.filter { !applied.contains($0.version) }
        guard !pending.isEmpty else { return }
        // The extended protocol takes one statement at a time; a migration is a script of many,
        // which PL/pgSQL's EXECUTE runs whole. The function lives as long as this connection.
        try await query("""
            CREATE FUNCTION pg_temp.fae_t2i_migrate(script text) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                EXECUTE script;
            END
            $$
            """)
        for migration in pending {
            try await run(migration, now: now)
            applied.insert(migration.version)
        }
    }

    private func run(_ migration: Migration, now: Double) async throws {
        let logger = logger
        let connection = connection
        do {
            try await PostgresJobQueue.run(on: connection, timeout: migrationTimeout, location: location) {
                try await PostgresJobQueue.transaction(connection, logger: logger) {
                    try await connection.query("SELECT pg_temp.fae_t2i_migrate(\(migration.sql))", logger: logger)
                    try await connection.query("""
                        INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(now))
                        """, logger: logger)
                }
            }
        } catch let error as QueueError where [.diskFull, .unavailable].contains(error.code) {
            throw error
        } catch {
            let cause = (error as? QueueError)?.cause ?? error
            let reason = PostgresFailure.serverMessage(cause) ?? "\((error as? QueueError)?.message ?? "\(error)")"
            throw QueueError(.migrationFailed, "migration \(migration.version)_\(migration.name) failed on \(location): \(reason)",
                             cause: cause)
        }
    }

    /// For read-only opens: the database must be a queue whose schema is exactly `migrations`.
    func checkCurrent(_ migrations: [Migration]) async throws {
        let newest = migrations.last?.version ?? 0
        guard let applied = try await appliedVersions() else {
            if try await tableCount() > 0 { throw notAQueue() }
            throw older(0, newest: newest)
        }
        let recorded = applied.max() ?? 0
        try checkNotNewer(recorded, newest: newest)
        if recorded < newest || !migrations.allSatisfy({ applied.contains($0.version) }) { throw older(recorded, newest: newest) }
    }

    private func checkNotNewer(_ recorded: Int, newest: Int) throws {
        if recorded > newest {
            throw QueueError(.newerSchema,
                "database \(location) has schema version \(recorded), newer than this fae-t2i knows (\(newest)); upgrade fae-t2i")
        }
    }

    private func older(_ recorded: Int, newest: Int) -> QueueError {
        QueueError(.olderSchema,
            "database \(location) has schema version \(recorded) and this fae-t2i reads \(newest); it is opened read-only, so "
            + "upgrade it once with a command that writes (e.g. `fae-t2i prune`) as a user who may change its tables")
    }

    private func notAQueue() -> QueueError {
        QueueError(.notADatabase, "database \(location) holds tables but is not a fae-t2i queue (no schema_migrations table); "
                   + "it was left untouched")
    }

    /// The recorded versions, or nil when there is no `schema_migrations` table in the schema
    /// new tables go to.
    private func appliedVersions() async throws -> Set<Int>? {
        let exists = try await query("""
            SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations')
            """)
        guard try exists.first.map({ row -> Bool in var reader = PostgresRowReader(row); return try reader.next() }) == true else {
            return nil
        }
        let rows = try await query("SELECT version FROM schema_migrations")
        return Set(try rows.map { row -> Int in
            var reader = PostgresRowReader(row)
            return try reader.next()
        })
    }

    private func tableCount() async throws -> Int {
        let rows = try await query("SELECT count(*)::int8 FROM pg_tables WHERE schemaname = current_schema()")
        guard let row = rows.first else { return 0 }
        var reader = PostgresRowReader(row)
        return try reader.next()
    }

    @discardableResult
    private func query(_ query: PostgresQuery, timeout: Duration? = nil) async throws -> [PostgresRow] {
        let connection = connection
        let logger = logger
        return try await PostgresJobQueue.run(on: connection, timeout: timeout ?? self.timeout, location: location) {
            try await connection.query(query, logger: logger).collect()
        }
    }
}
