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

    /// Opens the queue. Only commands that add work may create a new database; the others
    /// report a missing one instead of leaving an empty file behind.
    func openQueue(create: Bool = false) throws -> JobQueue {
        let path = databasePath
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw CLIError("no queue database at \(path) (submit a job first, or pass --db)")
        }
        let migrations = try Migration.load(from: try ResourceLocator.migrationsDirectory())
        return try JobQueue(path: path, migrations: migrations)
    }
}
