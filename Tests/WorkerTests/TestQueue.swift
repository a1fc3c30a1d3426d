import JobQueue
import TestSupport

/// Opens (creating if needed) the queue at `path` with the repository's migrations.
func openTestQueue(_ path: String) throws -> JobQueue {
    try JobQueue(path: path, migrations: Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations")))
}
