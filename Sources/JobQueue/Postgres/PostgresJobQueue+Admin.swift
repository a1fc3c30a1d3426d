import Digest
import Foundation
import PostgresNIO

/// The user's side of the queue: status, list, cancel, retry, fetch, prune. A job is read with its
/// images' metadata in one join.
extension PostgresJobQueue {
    public func status(_ id: String) async throws -> Job {
        let id = try JobID.validate(id)
        return try await requireJob(id).job()
    }

    /// The job's row and its images (their bytes `withBytes`), or `unknownJob`.
    func requireJob(_ id: String, withBytes: Bool = false) async throws -> PostgresJobRows {
        let found = try PostgresJobRows.read(await rows("""
            SELECT \(unescaped: PostgresJobRows.columns(withBytes: withBytes))
            FROM jobs LEFT JOIN images ON images.job_id = jobs.id
            WHERE jobs.id = \(id) ORDER BY image_index
            """), withBytes: withBytes)
        guard let job = found.first else { throw QueueError(.unknownJob, "no job with id \(id)") }
        return job
    }

    /// Newest first; with `before`, the jobs older than that one.
    public func list(state: JobState?, limit: Int, before: String?) async throws -> [Job] {
        guard limit > 0 else { throw QueueError(.invalidRequest, "limit must be positive, got \(limit)") }
        let before = try before.map(JobID.validate)
        // NULL parameters switch a filter off, so one statement serves every combination.
        let rows = try await rows("""
            SELECT \(unescaped: PostgresJobRows.columns(withBytes: false))
            FROM (SELECT * FROM jobs
                  WHERE (\(state?.rawValue)::text IS NULL OR state = \(state?.rawValue))
                    AND (\(before)::text IS NULL OR (created_at, seq) < (SELECT created_at, seq FROM jobs WHERE id = \(before)))
                  ORDER BY created_at DESC, seq DESC LIMIT \(limit)) AS jobs
            LEFT JOIN images ON images.job_id = jobs.id
            ORDER BY jobs.created_at DESC, jobs.seq DESC, image_index
            """)
        let jobs = try PostgresJobRows.read(rows, withBytes: false).map { try $0.job() }
        if jobs.isEmpty, let before { _ = try await requireJob(before) }
        return jobs
    }

    public func finished(after: Date, limit: Int) async throws -> [Job] {
        guard limit > 0 else { throw QueueError(.invalidRequest, "limit must be positive, got \(limit)") }
        let rows = try await rows("""
            SELECT \(unescaped: PostgresJobRows.columns(withBytes: false))
            FROM (SELECT * FROM jobs WHERE finished_at > \(after.timeIntervalSince1970)
                  ORDER BY finished_at LIMIT \(limit)) AS jobs
            LEFT JOIN images ON images.job_id = jobs.id
            ORDER BY jobs.finished_at, jobs.seq, image_index
            """)
        return try PostgresJobRows.read(rows, withBytes: false).map { try $0.job() }
    }

    public func workersSeen(since: Date) async throws -> Int {
        let since = since.timeIntervalSince1970
        guard let row = try await rows("""
            SELECT count(*)::int8 FROM (
                SELECT name FROM workers WHERE last_seen >= \(since)
                UNION SELECT worker FROM jobs WHERE state = 'running' AND updated_at >= \(since) AND worker IS NOT NULL
            ) AS seen
            """).first else { throw QueueError(.storage, "database \(location) did not count workers") }
        var reader = PostgresRowReader(row)
        return try reader.next()
    }

    public func counts() async throws -> [JobState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        for row in try await rows("SELECT state, count(*)::int8 FROM jobs GROUP BY state") {
            var reader = PostgresRowReader(row)
            let state: String = try reader.next()
            let count: Int = try reader.next()
            if let state = JobState(rawValue: state) { counts[state] = count }
        }
        return counts
    }

    /// A queued job is canceled at once; a running one is flagged and ends `canceled` at its
    /// worker's next heartbeat.
    ///
    /// The job is read (and must decode) first, then changed only if it is still in the state
    /// read: a job claimed or finished in between is read again.
    @discardableResult
    public func cancel(_ id: String) async throws -> Job {
        let id = try JobID.validate(id)
        while true {
            let current = try await requireJob(id)
            let job = try current.job()
            let now = clock()
            let query: PostgresQuery
            switch job.state {
            case .queued:
                query = """
                    UPDATE jobs SET state = 'canceled', finished_at = \(now), updated_at = \(now)
                    WHERE id = \(id) AND state = 'queued'
                    RETURNING \(unescaped: JobRecord.columns)
                    """
            case .running:
                query = """
                    UPDATE jobs SET cancel_requested = true, updated_at = \(now)
                    WHERE id = \(id) AND state = 'running'
                    RETURNING \(unescaped: JobRecord.columns)
                    """
            case .succeeded, .failed, .canceled:
                throw QueueError(.invalidTransition, "job \(id) is already \(job.state.rawValue)")
            }
            if let row = try await rows(query).first {
                return try PostgresJobRows.record(row).job(images: current.images)
            }
        }
    }

    /// Puts a failed or canceled job back in the queue with a fresh set of attempts.
    @discardableResult
    public func retry(_ id: String) async throws -> Job {
        let id = try JobID.validate(id)
        while true {
            let current = try await requireJob(id)
            let job = try current.job()
            guard job.state == .failed || job.state == .canceled else {
                throw QueueError(.invalidTransition, "job \(id) is \(job.state.rawValue); only failed or canceled jobs can be retried")
            }
            let now = clock()
            let updated = try await rows("""
                UPDATE jobs SET state = 'queued', attempts = 0, error = NULL, cancel_requested = false, run_after = \(now),
                    updated_at = \(now), started_at = NULL, finished_at = NULL, worker = NULL, progress_step = 0, progress_total = 0
                WHERE id = \(id) AND state = \(job.state.rawValue)
                RETURNING \(unescaped: JobRecord.columns)
                """)
            if let row = updated.first {
                return try PostgresJobRows.record(row).job(images: current.images)
            }
        }
    }

    /// The images of a succeeded job, in index order, each checked against the sha256 stored with
    /// it: bytes changed after the render are refused, naming the job and image, never handed out.
    public func images(_ id: String) async throws -> [StoredImage] {
        let id = try JobID.validate(id)
        let stored = try await requireJob(id, withBytes: true)
        let job = try stored.job()
        guard job.state == .succeeded else {
            throw QueueError(.invalidTransition, "job \(id) is \(job.state.rawValue), not succeeded: it has no images to fetch")
        }
        return try zip(stored.images, stored.jpegs).map { info, jpeg in
            try StoredImage.verified(info, jpeg: jpeg, jobID: id)
        }
    }

    /// Deletes finished jobs (and, by cascade, their images) that finished more than `age` ago.
    /// In batches, each its own transaction, so no prune holds many rows locked for long.
    @discardableResult
    public func prune(olderThan age: TimeInterval) async throws -> Int {
        guard age >= 0 else { throw QueueError(.invalidRequest, "prune age must not be negative") }
        let cutoff = clock() - age
        var removed = 0
        while true {
            let counted = try await rows("""
                WITH gone AS (
                    DELETE FROM jobs WHERE id IN (
                        SELECT id FROM jobs WHERE state IN ('succeeded', 'failed', 'canceled') AND finished_at < \(cutoff)
                        LIMIT \(Self.pruneBatch))
                    RETURNING 1)
                SELECT count(*)::int8 FROM gone
                """)
            guard let row = counted.first else { throw QueueError(.storage, "database \(location) did not count a prune") }
            var reader = PostgresRowReader(row)
            let batch: Int = try reader.next()
            removed += batch
            if batch < Self.pruneBatch { break }
        }
        _ = try await rows("DELETE FROM workers WHERE last_seen < \(cutoff)")
        return removed
    }

    static let pruneBatch = 1_000
}
