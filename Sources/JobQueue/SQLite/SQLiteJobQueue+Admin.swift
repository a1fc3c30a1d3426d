import Digest
import Foundation
import GRDB

/// The user's side of the queue: status, list, cancel, retry, fetch, prune.
extension SQLiteJobQueue {
    public func status(_ id: String) throws -> Job {
        let id = try JobID.validate(id)
        return try read { db in try Self.requireJob(db, id: id) }
    }

    /// Newest first; with `before`, the jobs older than that one.
    public func list(state: JobState? = nil, limit: Int = 50, before: String? = nil) throws -> [Job] {
        guard limit > 0 else { throw QueueError(.invalidRequest, "limit must be positive, got \(limit)") }
        let before = try before.map(JobID.validate)
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let state {
            conditions.append("state = ?")
            arguments += [state.rawValue]
        }
        if let before {
            conditions.append("(created_at, rowid) < (SELECT created_at, rowid FROM jobs WHERE id = ?)")
            arguments += [before]
        }
        arguments += [limit]
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        return try read { db in
            if let before, try !Self.jobExists(db, id: before) {
                throw QueueError(.unknownJob, "no job with id \(before)")
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.jobColumns) FROM jobs \(filter) ORDER BY created_at DESC, rowid DESC LIMIT ?
                """, arguments: arguments)
            return try Self.decodeJobs(db, rows)
        }
    }

    public func finished(after: Date, limit: Int) throws -> [Job] {
        guard limit > 0 else { throw QueueError(.invalidRequest, "limit must be positive, got \(limit)") }
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(Self.jobColumns) FROM jobs INDEXED BY jobs_finished
                WHERE finished_at IS NOT NULL AND finished_at > ? ORDER BY finished_at LIMIT ?
                """, arguments: [after.timeIntervalSince1970, limit])
            return try Self.decodeJobs(db, rows)
        }
    }

    public func workersSeen(since: Date) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM (
                    SELECT name FROM workers WHERE last_seen >= ?
                    UNION SELECT worker FROM jobs WHERE state = 'running' AND updated_at >= ? AND worker IS NOT NULL)
                """, arguments: [since.timeIntervalSince1970, since.timeIntervalSince1970]) ?? 0
        }
    }

    static func jobExists(_ db: Database, id: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM jobs WHERE id = ?)", arguments: [id]) ?? false
    }

    /// Job rows with their images' metadata; a row whose id cannot be read is `corrupt`.
    static func decodeJobs(_ db: Database, _ rows: [Row]) throws -> [Job] {
        try rows.map { row in
            guard let id = try? row.decode(String.self, forColumn: "id") else {
                throw QueueError(.corrupt, "a job row cannot be read: its id is \(row["id"] as DatabaseValue)")
            }
            return try decodeJob(row, images: imageInfos(db, jobID: id))
        }
    }

    /// Counts of jobs per state (every state present, zero when empty).
    public func counts() throws -> [JobState: Int] {
        try read { db in
            var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM jobs GROUP BY state") {
                if let state = JobState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    /// A queued job is canceled at once; a running one is flagged and ends `canceled` at its
    /// worker's next heartbeat.
    @discardableResult
    public func cancel(_ id: String) throws -> Job {
        let id = try JobID.validate(id)
        return try immediate { db in
            let job = try Self.requireJob(db, id: id)
            let now = clock()
            switch job.state {
            case .queued:
                try db.execute(sql: """
                    UPDATE jobs SET state = 'canceled', finished_at = ?, updated_at = ? WHERE id = ?
                    """, arguments: [now, now, id])
            case .running:
                try db.execute(sql: "UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?", arguments: [now, id])
            case .succeeded, .failed, .canceled:
                throw QueueError(.invalidTransition, "job \(id) is already \(job.state.rawValue)")
            }
            return try Self.requireJob(db, id: id)
        }
    }

    /// Puts a failed or canceled job back in the queue with a fresh set of attempts.
    @discardableResult
    public func retry(_ id: String) throws -> Job {
        let id = try JobID.validate(id)
        return try immediate { db in
            let job = try Self.requireJob(db, id: id)
            guard job.state == .failed || job.state == .canceled else {
                throw QueueError(.invalidTransition, "job \(id) is \(job.state.rawValue); only failed or canceled jobs can be retried")
            }
            let now = clock()
            try db.execute(sql: """
                UPDATE jobs SET state = 'queued', attempts = 0, error = NULL, cancel_requested = 0, run_after = ?,
                    updated_at = ?, started_at = NULL, finished_at = NULL, worker = NULL, progress_step = 0, progress_total = 0
                WHERE id = ?
                """, arguments: [now, now, id])
            return try Self.requireJob(db, id: id)
        }
    }

    /// The images of a succeeded job, in index order, each checked against the sha256 stored with
    /// it: bytes changed after the render are refused, naming the job and image, never handed out.
    public func images(_ id: String) throws -> [StoredImage] {
        let id = try JobID.validate(id)
        return try read { db in
            let job = try Self.requireJob(db, id: id)
            guard job.state == .succeeded else {
                throw QueueError(.invalidTransition, "job \(id) is \(job.state.rawValue), not succeeded: it has no images to fetch")
            }
            return try Row.fetchAll(db, sql: """
                SELECT image_index, seed, width, height, sha256, jpeg FROM images WHERE job_id = ? ORDER BY image_index
                """, arguments: [id]).map { row in
                guard let jpeg = try? row.decode(Data.self, forColumn: "jpeg") else {
                    throw QueueError(.corrupt, "an image of job \(id) has no JPEG bytes")
                }
                return try StoredImage.verified(try Self.imageInfo(row, jobID: id, bytes: jpeg.count), jpeg: jpeg, jobID: id)
            }
        }
    }

    /// Deletes finished jobs (and, by cascade, their images) that finished more than `age` ago.
    /// Returns how many jobs were removed.
    @discardableResult
    public func prune(olderThan age: TimeInterval) throws -> Int {
        guard age >= 0 else { throw QueueError(.invalidRequest, "prune age must not be negative") }
        let cutoff = clock() - age
        var removed = 0
        // In batches, each checkpointed before the next: the WAL is then reused instead of growing,
        // so even a large prune fits in the disk reserve.
        while true {
            let batch = try immediate { db in
                try db.execute(sql: """
                    DELETE FROM jobs WHERE rowid IN (
                        SELECT rowid FROM jobs WHERE state IN ('succeeded', 'failed', 'canceled') AND finished_at < ? LIMIT ?)
                    """, arguments: [cutoff, Self.pruneBatch])
                let jobs = db.changesCount
                try db.execute(sql: "DELETE FROM workers WHERE last_seen < ?", arguments: [cutoff])
                return jobs
            }
            removed += batch
            if batch < Self.pruneBatch { break }
            _ = try? database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
        }
        returnFreePagesToDisk()
        return removed
    }

    static let pruneBatch = 200

    /// Best effort after a prune: hands the freed pages back to the file system (queues created
    /// with incremental auto-vacuum) and empties the WAL, then puts back the disk reserve. On a
    /// disk still full this may fail; the jobs are deleted either way.
    func returnFreePagesToDisk() {
        // In steps, each checkpointed, so the WAL never holds more than one step's moved pages.
        // (Queues created before incremental auto-vacuum (mode 2) keep their free pages inside.)
        let incremental = (try? database.read { try Int.fetchOne($0, sql: "PRAGMA auto_vacuum") }) == 2
        var freePages = Int.max
        while incremental {
            let left = try? database.writeWithoutTransaction { db -> Int in
                try db.execute(sql: "PRAGMA incremental_vacuum(256)")
                try db.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)")
                return try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            }
            guard let left, left > 0, left < freePages else { break }
            freePages = left
        }
        _ = try? database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        SQLiteQueueFile.ensureReserve(path)
    }

    /// `PRAGMA integrity_check`: "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }
}
