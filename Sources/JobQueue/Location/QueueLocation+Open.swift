import Foundation
import Logging

/// What a command does with the queue; it decides how the queue is opened.
public enum QueueUse: Sendable {
    /// Adds work (submit, worker): a missing SQLite file is created, migrations are applied.
    case create
    /// Changes existing jobs (retry).
    case write
    /// Frees space or stops work (prune, cancel): on a full disk, may use the SQLite file's reserve.
    case free
    /// Only reads (status, list, fetch): a SQLite file this user may not write is opened read-only.
    case read
}

extension QueueLocation {
    /// Opens the queue for `use`, its migrations read from `migrationsRoot/<dialect>/`. Only
    /// `.create` may create a SQLite file; the other uses report a missing one instead of
    /// leaving an empty file behind.
    public func open(_ use: QueueUse, migrationsRoot: URL,
                     logger: Logger = Logger(label: "fae-t2i.queue")) async throws -> any JobQueue {
        switch self {
        case .sqlite(let path):
            return try Self.openSQLite(path: path, use: use, migrations: Migration.load(from: migrationsRoot.appendingPathComponent("sqlite")))
        case .postgres(let url):
            // Only `.create` may make a queue in an empty database, as only it may create a SQLite file.
            return try await PostgresJobQueue.open(
                url: url, migrations: Migration.load(from: migrationsRoot.appendingPathComponent("postgres")), readOnly: false,
                retryBackoff: RetryBackoff(), clock: nil, logger: logger, connectTimeout: .seconds(5), operationTimeout: .seconds(10),
                createIfMissing: use == .create)
        }
    }

    /// Opens the queue, runs `body` on it and closes it. On a full disk, `.free` uses of a SQLite
    /// queue take its disk reserve so that space can be freed; everything else leaves it to them.
    public func withQueue<T>(_ use: QueueUse, migrationsRoot: URL, logger: Logger = Logger(label: "fae-t2i.queue"),
                             _ body: (any JobQueue) async throws -> T) async throws -> T {
        func run() async throws -> T {
            let queue = try await open(use, migrationsRoot: migrationsRoot, logger: logger)
            do {
                let result = try await body(queue)
                await queue.close()
                return result
            } catch {
                await queue.close()
                throw error
            }
        }
        guard case .sqlite(let path) = self, use == .free else { return try await run() }
        do {
            return try await run()
        } catch let error as QueueError where error.code == .diskFull {
            guard SQLiteQueueFile.releaseReserve(path) else { throw error }
            return try await run()
        }
    }

    private static func openSQLite(path: String, use: QueueUse, migrations: [Migration]) throws -> SQLiteJobQueue {
        if use != .create && !FileManager.default.fileExists(atPath: path) {
            throw QueueError(.storage, "no queue database at \(path) (submit a job first, or pass --db)")
        }
        guard use == .read else { return try SQLiteJobQueue(path: path, migrations: migrations) }
        guard Foundation.access(path, W_OK) == 0 else { return try SQLiteJobQueue(path: path, migrations: migrations, access: .readOnly) }
        do {
            return try SQLiteJobQueue(path: path, migrations: migrations)
        } catch let error as QueueError where error.code == .diskFull {
            // Opening for writing needs a little space (WAL set-up, migrations); reading needs none.
            return try SQLiteJobQueue(path: path, migrations: migrations, access: .readOnly)
        }
    }
}
