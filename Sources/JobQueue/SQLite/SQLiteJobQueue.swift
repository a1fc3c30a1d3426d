import Foundation
import GRDB

/// The job queue in one SQLite file: the embedded default, for workers on one host.
///
/// Many processes may open the same file: WAL mode lets readers run beside the one writer, every
/// write is a short `BEGIN IMMEDIATE` transaction, and a busy handler with short randomised sleeps
/// absorbs contention. All SQL takes its values as bound arguments.
public final class SQLiteJobQueue: @unchecked Sendable {
    public let path: String
    let database: DatabaseQueue
    /// Current time in Unix seconds; injectable so lease expiry and backoff can be tested.
    let clock: @Sendable () -> Double
    let retryBackoff: RetryBackoff

    public var location: String { path }

    /// How a queue is opened. Read-only opens never migrate, so a user who may only read the file
    /// can still run `status`, `list` and `fetch`.
    public enum Access: Sendable {
        case readWrite
        case readOnly
    }

    /// Opens the queue at `path` and applies pending migrations; a missing file is created.
    /// With `.readOnly`, the file must exist and have exactly the schema `migrations` describe.
    /// An existing file that is not a fae-t2i queue (empty, a device, another program's data) is
    /// refused untouched.
    public init(
        path: String, migrations: [Migration], access: Access = .readWrite, busyTimeout: TimeInterval = 10,
        retryBackoff: RetryBackoff = RetryBackoff(), clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) throws {
        self.path = path
        self.clock = clock
        self.retryBackoff = retryBackoff
        var configuration = Self.configuration(busyTimeout: busyTimeout)
        switch access {
        case .readWrite:
            try SQLiteQueueFile.createIfMissing(path: path, configuration: configuration, migrations: migrations)
            try SQLiteQueueFile.checkExisting(path: path)
            try SQLiteQueueFile.checkIsQueue(path: path, busyMode: configuration.busyMode)
        case .readOnly:
            try SQLiteQueueFile.checkExisting(path: path)
            configuration.readonly = true
        }
        switch access {
        case .readWrite:
            database = try Self.open(path, configuration)
            try SQLiteMigrationRunner(database: database, path: path).apply(migrations)
            SQLiteQueueFile.ensureReserve(path)
        case .readOnly:
            database = try Self.openReadOnly(path, configuration, migrations)
        }
    }

    private static func openReadOnly(_ path: String, _ configuration: Configuration, _ migrations: [Migration]) throws -> DatabaseQueue {
        do {
            let database = try open(path, configuration)
            try SQLiteMigrationRunner(database: database, path: path).checkCurrent(migrations)
            return database
        } catch let error as QueueError where [.storage, .diskFull].contains(error.code) && !SQLiteQueueFile.hasWALFrames(path) {
            // Reading a WAL database needs its -shm file, which a user who may not write the
            // folder (or a full disk) cannot create. With no WAL frames no writer has changes
            // pending, so the file is read as it stands.
            let database = try open(SQLiteQueueFile.immutableURI(path), configuration, reportingAs: path)
            try SQLiteMigrationRunner(database: database, path: path).checkCurrent(migrations)
            return database
        }
    }

    private static func open(_ location: String, _ configuration: Configuration, reportingAs path: String? = nil) throws -> DatabaseQueue {
        do {
            return try DatabaseQueue(path: location, configuration: configuration)
        } catch {
            throw translate(error, path: path ?? location)
        }
    }

    static func configuration(busyTimeout: TimeInterval) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .callback(Self.busyCallback(timeout: busyTimeout))
        configuration.journalMode = .wal
        configuration.foreignKeysEnabled = true
        configuration.label = "fae-t2i.queue"
        configuration.prepareDatabase { db in
            // WAL + NORMAL is durable across process crashes (the only kind the queue must survive);
            // it skips an fsync per commit, which is what lets workers claim thousands of jobs/s.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA synchronous = NORMAL") }
            // Debian's SQLite zeroes every freed page by default, so deleting images would write as
            // many bytes as it frees: too much for a prune on a full disk. FAST skips the extra I/O.
            try db.execute(sql: "PRAGMA secure_delete = FAST")
        }
        return configuration
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

    static func diskFull(_ path: String, _ cause: Error) -> QueueError {
        QueueError(.diskFull,
            "the disk holding \(path) is full; `fae-t2i prune` and `fae-t2i cancel` still run on the space the queue keeps "
            + "in reserve (\(SQLiteQueueFile.reservePath(path)), while it lasts); otherwise free space on that disk and try again",
            cause: cause)
    }

    /// Maps SQLite errors to `QueueError` with a message a user can act on, keeping the SQLite error.
    static func translate(_ error: Error, path: String) -> Error {
        if error is QueueError { return error }
        guard let dbError = error as? DatabaseError else { return error }
        switch dbError.resultCode {
        case .SQLITE_NOTADB:
            return QueueError(.notADatabase, "\(path) is not a SQLite database", cause: dbError)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return QueueError(.busy, "database \(path) stayed locked; try again", cause: dbError)
        case .SQLITE_CANTOPEN:
            return QueueError(.storage, "cannot open database \(path)", cause: dbError)
        case .SQLITE_READONLY:
            return QueueError(.storage, "database \(path) is read-only", cause: dbError)
        case .SQLITE_FULL:
            return diskFull(path, dbError)
        case .SQLITE_IOERR where (SQLiteQueueFile.availableBytes(near: path) ?? .max) < UInt64(SQLiteQueueFile.reserveBytes):
            // SQLite reports a -shm file it cannot grow as an I/O error, not as a full disk.
            return diskFull(path, dbError)
        case .SQLITE_CORRUPT:
            return QueueError(.corrupt,
                "database \(path) is damaged (\(dbError.message ?? "corrupt")); `sqlite3 \(path) .recover` can save what is left",
                cause: dbError)
        default:
            return QueueError(.storage, "database \(path): \(dbError.message ?? "\(dbError.resultCode)")", cause: dbError)
        }
    }
}
