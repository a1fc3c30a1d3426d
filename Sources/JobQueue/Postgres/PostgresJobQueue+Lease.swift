import Digest
import Foundation
import PostgresNIO

/// The worker's side of the queue: claim, heartbeat, complete, fail, release. Each is one
/// statement, so one round trip and one transaction. Every call after `claim` names the lease
/// token; a stale token gets `leaseLost` and changes nothing.
extension PostgresJobQueue {
    public func claim(worker: String, leaseSeconds: TimeInterval) async throws -> ClaimedJob? {
        precondition(JobLease.range.contains(leaseSeconds), "lease \(leaseSeconds) s outside \(JobLease.range)")
        let token = JobLease.newToken()
        let now = clock()
        let statement = PostgresStatement.Claim(worker: worker, token: token, now: now, leaseExpiresAt: now + leaseSeconds)
        let logger = logger
        while true {
            let claimed = try await withConnection { connection in
                try await connection.execute(statement, logger: logger).reduce(into: [PostgresRow]()) { $0.append($1) }
            }
            guard let row = claimed.first else { return nil }
            do {
                return ClaimedJob(job: try PostgresJobRows.record(row).job(), leaseToken: token)
            } catch let error as QueueError where error.code == .corrupt {
                // One damaged row must not stop the queue: it fails for good, and the next job is claimed.
                var reader = PostgresRowReader(row)
                let id: String = try reader.next()
                _ = try await rows("""
                    UPDATE jobs SET state = 'failed', error = \(error.message), finished_at = \(now), updated_at = \(now),
                        lease_token = NULL, lease_expires_at = NULL
                    WHERE id = \(id) AND lease_token = \(token)
                    """)
            }
        }
    }

    public func heartbeat(_ claim: ClaimedJob, step: Int, total: Int, leaseSeconds: TimeInterval) async throws -> HeartbeatReply {
        let now = clock()
        let statement = PostgresStatement.Heartbeat(leaseExpiresAt: now + leaseSeconds, step: step, total: total, now: now,
                                                    id: claim.job.id, token: claim.leaseToken)
        let logger = logger
        let replies = try await withConnection { connection in
            try await connection.execute(statement, logger: logger).reduce(into: [Bool]()) { $0.append($1) }
        }
        guard let cancelRequested = replies.first else { throw claim.leaseLost() }
        return cancelRequested ? .cancelRequested : .keepGoing
    }

    @discardableResult
    public func complete(_ claim: ClaimedJob, images: [RenderedImage], modelID: String, weightsHash: String?,
                         warning: String? = nil) async throws -> CompletionOutcome {
        try claim.checkComplete(images)
        let statement = PostgresStatement.Complete(id: claim.job.id, token: claim.leaseToken, modelID: modelID, weightsHash: weightsHash,
                                                   warning: warning, now: clock(), images: images,
                                                   digests: images.map { SHA256Hex.of($0.jpeg) })
        let logger = logger
        let replies = try await withConnection { connection in
            try await connection.execute(statement, logger: logger).reduce(into: [Bool]()) { $0.append($1) }
        }
        guard let cancelRequested = replies.first else { throw claim.leaseLost() }
        return cancelRequested ? .canceled : .succeeded
    }

    /// The backoff after each attempt as `RetryBackoff` computes it, for the server to pick from
    /// by the row's attempt count; past the table the delay has long reached its cap.
    func backoffTable() -> (delays: [Double], beyond: Double) {
        (Array(1...Self.backoffTableSize).map { retryBackoff.delay(afterAttempt: $0) },
         retryBackoff.delay(afterAttempt: Self.backoffTableSize + 1))
    }

    static let backoffTableSize = 128

    @discardableResult
    public func fail(_ claim: ClaimedJob, error message: String, retryable: Bool = true) async throws -> FailureOutcome {
        let now = clock()
        let (delays, beyond) = backoffTable()
        let updated = try await rows("""
            UPDATE jobs SET
                state = CASE WHEN \(retryable) AND attempts < max_attempts THEN 'queued' ELSE 'failed' END,
                run_after = CASE WHEN \(retryable) AND attempts < max_attempts
                                 THEN \(now) + coalesce((\(delays)::float8[])[greatest(attempts, 1)], \(beyond))
                                 ELSE run_after END,
                finished_at = CASE WHEN \(retryable) AND attempts < max_attempts THEN finished_at ELSE \(now) END,
                error = \(message), updated_at = \(now), lease_token = NULL, lease_expires_at = NULL
            WHERE id = \(claim.job.id) AND lease_token = \(claim.leaseToken) AND state = 'running'
            RETURNING state, coalesce((\(delays)::float8[])[greatest(attempts, 1)], \(beyond))
            """)
        guard let row = updated.first else { throw claim.leaseLost() }
        var reader = PostgresRowReader(row)
        reader.jobID = claim.job.id
        let state: String = try reader.next()
        let delay: Double = try reader.next()
        return state == JobState.queued.rawValue ? .retryScheduled(after: delay) : .failed
    }

    public func release(_ claim: ClaimedJob) async throws {
        let now = clock()
        let updated = try await rows("""
            UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'canceled' ELSE 'queued' END,
                finished_at = CASE WHEN cancel_requested THEN \(now) ELSE NULL END,
                attempts = attempts - 1, run_after = \(now), updated_at = \(now), lease_token = NULL, lease_expires_at = NULL,
                progress_step = 0, progress_total = 0
            WHERE id = \(claim.job.id) AND lease_token = \(claim.leaseToken) AND state = 'running'
            RETURNING id
            """)
        guard updated.count == 1 else { throw claim.leaseLost() }
    }

    public func acknowledgeCancel(_ claim: ClaimedJob) async throws {
        let now = clock()
        let updated = try await rows("""
            UPDATE jobs SET state = 'canceled', finished_at = \(now), updated_at = \(now), lease_token = NULL, lease_expires_at = NULL
            WHERE id = \(claim.job.id) AND lease_token = \(claim.leaseToken) AND state = 'running'
            RETURNING id
            """)
        guard updated.count == 1 else { throw claim.leaseLost() }
    }
}
