import ArgumentParser
import FaeResources
import Foundation
import JobQueue

/// `--db PATH_OR_URL` and `--json`, shared by every queue command.
struct QueueOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Queue: a SQLite file or postgres://user@host[:port]/dbname (default: $FAE_T2I_DB, else "
        + "$XDG_DATA_HOME/fae-t2i/queue.sqlite). A PostgreSQL password comes from the URL, $PGPASSWORD or ~/.pgpass.",
        valueName: "path-or-url"))
    var db: String?

    @Flag(name: .long, help: "Print machine-readable JSON.")
    var json = false

    /// The `--db` text, else `FAE_T2I_DB`, else the default file.
    var databaseText: String {
        if let db, !db.isEmpty { return db }
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["FAE_T2I_DB"], !path.isEmpty { return path }
        let dataHome = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("fae-t2i/queue.sqlite")
    }

    func location() throws -> QueueLocation {
        try QueueLocation(parsing: databaseText)
    }

    /// Opens the queue for `use`, runs `body` on it and closes it.
    func withQueue<T>(_ use: QueueUse, _ body: (any JobQueue) async throws -> T) async throws -> T {
        try await location().withQueue(use, migrationsRoot: ResourceLocator.migrationsDirectory(), body)
    }

    /// Opens the queue for a caller that keeps it (the worker).
    func openQueue(_ use: QueueUse) async throws -> any JobQueue {
        try await location().open(use, migrationsRoot: ResourceLocator.migrationsDirectory())
    }
}
