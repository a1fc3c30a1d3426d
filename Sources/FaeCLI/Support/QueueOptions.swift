import ArgumentParser
import FaeResources
import Foundation
import JobQueue

/// `--db PATH` and `--json`, shared by every queue command.
struct QueueOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Queue database (default: $FAE_T2I_DB, else $XDG_DATA_HOME/fae-t2i/queue.sqlite).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    var databasePath: String {
        if let db, !db.isEmpty { return db }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["FAE_T2I_DB"], !path.isEmpty { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("fae-t2i/queue.sqlite")
    }

    /// What a command does with the queue.
    enum Use {
        /// Adds work (submit, worker): a missing database is created.
        case create
        /// Changes existing jobs (retry).
        case write
        /// Frees space or stops work (prune, cancel): may use the queue's disk reserve.
        case free
        /// Only reads (status, list, fetch): a file this user may not write is opened read-only.
        case read
    }

    /// Opens the queue and runs `body` on it. On a full disk, `.free` commands (prune, cancel)
    /// use the queue's disk reserve, so that space can be freed; everything else leaves it to them.
    func withQueue<T>(_ use: Use, _ body: (JobQueue) throws -> T) throws -> T {
        guard use == .free else { return try body(openQueue(use)) }
        return try JobQueue.usingReserveIfDiskFull(path: databasePath) { try body(openQueue(use)) }
    }

    /// Opens the queue. Only commands that add work may create a new database; the others
    /// report a missing one instead of leaving an empty file behind.
    func openQueue(_ use: Use) throws -> JobQueue {
        let path = databasePath
        if use != .create && !FileManager.default.fileExists(atPath: path) {
            throw CLIError("no queue database at \(path) (submit a job first, or pass --db)")
        }
        let migrations = try Migration.load(from: try ResourceLocator.migrationsDirectory())
        guard use == .read else { return try JobQueue(path: path, migrations: migrations) }
        guard Foundation.access(path, W_OK) == 0 else { return try JobQueue(path: path, migrations: migrations, access: .readOnly) }
        do {
            return try JobQueue(path: path, migrations: migrations)
        } catch let error as QueueError where error.code == .diskFull {
            // Opening for writing needs a little space (WAL set-up, migrations); reading needs none.
            return try JobQueue(path: path, migrations: migrations, access: .readOnly)
        }
    }
}
