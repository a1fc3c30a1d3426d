import Foundation
import GRDB

/// The SQLite-backed job queue (design.md section 4).
///
/// Many processes may open the same file: WAL mode lets readers run beside the one writer, every
/// write is a short `BEGIN IMMEDIATE` transaction, and a busy handler with short randomised sleeps
/// absorbs contention. All SQL takes its values as bound arguments.
public final class JobQueue: @unchecked Sendable {
    public let path: String
    let database: DatabaseQueue
    /// Current time in Unix seconds; injectable so lease expiry and backoff can be tested.
    let clock: @Sendable () -> Double
    /// Base of the exponential retry backoff: attempt n waits `base * 2^(n-1)` seconds (capped).
    public var retryBackoffBase: TimeInterval = 2
    public var retryBackoffCap: TimeInterval = 300

    /// Opens (creating if needed) the queue at `path` and applies pending migrations.
    public init(
        path: String, migrations: [Migration], busyTimeout: TimeInterval = 10,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) throws {
        self.path = path
        self.clock = clock
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw QueueError(.storage, "cannot create database folder \(directory.path): \(error.localizedDescription)")
        }
        var configuration = Configuration()
        configuration.busyMode = .callback(Self.busyCallback(timeout: busyTimeout))
        configuration.journalMode = .wal
        configuration.foreignKeysEnabled = true
        configuration.label = "fae-t2i.queue"
        configuration.prepareDatabase { db in
            // WAL + NORMAL is durable across process crashes (the only kind the queue must survive);
            // it skips an fsync per commit, which is what lets workers claim thousands of jobs/s.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw Self.translate(error, path: path)
        }
        try MigrationRunner(database: database, path: path).apply(migrations)
    }

    /// SQLite's own busy timeout sleeps in steps of 1-100 ms, which stalls a contended queue;
    /// sleeping 50-500 us with jitter keeps writers interleaving tightly.
    static func busyCallback(timeout: TimeInterval) -> Database.BusyCallback {
        return { tries in
            // Each try sleeps ~275 us on average, growing after the first thousand tries.
            let maxTries = Int(timeout / 0.000_275)
            guard tries < maxTries else { return false }
            let ceiling: UInt32 = tries < 1_000 ? 500 : 5_000
            usleep(UInt32.random(in: 50...ceiling))
            return true
        }
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two
    /// writers never deadlock upgrading read locks.
    func immediate<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.immediate(database, path: path, body)
    }

    /// The same for code that has a connection but no queue yet (the migration runner).
    static func immediate<T>(_ database: DatabaseQueue, path: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                // inTransaction returned without throwing, so body ran and set result.
                return result!
            }
        } catch {
            throw translate(error, path: path)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw Self.translate(error, path: path)
        }
    }

    /// Maps SQLite errors to `QueueError` with a message a user can act on.
    static func translate(_ error: Error, path: String) -> Error {
        if error is QueueError { return error }
        guard let dbError = error as? DatabaseError else { return error }
        switch dbError.resultCode {
        case .SQLITE_NOTADB:
            return QueueError(.notADatabase, "\(path) is not a SQLite database")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return QueueError(.busy, "database \(path) stayed locked; try again")
        case .SQLITE_CANTOPEN:
            return QueueError(.storage, "cannot open database \(path)")
        case .SQLITE_READONLY:
            return QueueError(.storage, "database \(path) is read-only")
        default:
            return QueueError(.storage, "database \(path): \(dbError.message ?? "\(dbError.resultCode)")")
        }
    }
}
