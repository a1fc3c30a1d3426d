import Foundation
import FuzzSupport
import GRDB
import JobQueue

/// A job row as the queue reads it back: the input's column values are written straight into the
/// `jobs` (and `images`) table of a queue made by the repository's migrations, then read through the
/// public API the CLI and the workers use (status, list, counts, images, claim, heartbeat, fail,
/// cancel, retry).
enum JobRowFuzzTarget {
    static let path = FuzzPaths.scratch.appendingPathComponent("queue.sqlite").path
    /// A fixed clock, so that an input always meets the same lease and backoff decisions.
    static let queue = FuzzSetup.require("create the queue") {
        try SQLiteJobQueue(path: path, migrations: try Migration.load(from: FuzzPaths.repository("migrations/sqlite")),
                     clock: { 1_800_000_000 })
    }
    /// A second connection that writes rows the queue's API never would.
    static let raw = FuzzSetup.require("open the queue for raw writes") { try DatabaseQueue(path: path) }

    static func run(_ data: Data) {
        _ = queue
        let input = JobRowInput(data)
        guard input.write(to: raw) else { return }
        let id = input.id ?? JobRowInput.jobID
        _ = try? queue.status(id)
        _ = try? queue.list()
        _ = try? queue.list(state: .queued, limit: 2)
        _ = try? queue.counts()
        _ = try? queue.images(id)
        if let claim = try? queue.claim(worker: "fuzz", leaseSeconds: 60) {
            _ = try? queue.heartbeat(claim, step: 1, total: 2, leaseSeconds: 60)
            _ = try? queue.fail(claim, error: "fuzz", retryable: true)
        }
        _ = try? queue.cancel(id)
        _ = try? queue.retry(id)
    }
}
