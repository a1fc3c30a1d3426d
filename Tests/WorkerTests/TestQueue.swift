import JobQueue
import TestSupport

/// Opens (creating if needed) the queue at `path` with the repository's migrations.
func openTestQueue(_ path: String) throws -> SQLiteJobQueue {
    try SQLiteJobQueue(path: path, migrations: Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/sqlite")))
}
