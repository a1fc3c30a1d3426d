import Digest
import Foundation
import GRDB

/// The worker's side of the queue: claim, heartbeat, complete, fail, release.
/// Every call after `claim` names the lease token; a stale token gets `leaseLost` and changes nothing.
extension SQLiteJobQueue {
    /// Claims the next job (highest priority, then oldest) whose backoff has passed, leasing it for
    /// `leaseSeconds`. Expired leases are reaped first, in the same transaction. A job whose row
    /// cannot be read is failed for good, with the reason, and the next one is claimed instead: one
    /// damaged row must not stop the queue.
    public func claim(worker: String, leaseSeconds: TimeInterval) throws -> ClaimedJob? {
        precondition(JobLease.range.contains(leaseSeconds), "lease \(leaseSeconds) s outside \(JobLease.range)")
        let token = JobLease.newToken()
        return try immediate { db in
            let now = clock()
            try db.cachedStatement(sql: """
                INSERT INTO workers (name, last_seen) VALUES (?, ?)
                ON CONFLICT (name) DO UPDATE SET last_seen = excluded.last_seen
                """).execute(arguments: [worker, now])
            try reapExpiredLeases(db, now: now)
            while true {
                guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                    UPDATE jobs
                    SET state = 'running', attempts = attempts + 1, lease_token = ?, lease_expires_at = ?,
                        worker = ?, started_at = ?, updated_at = ?, progress_step = 0, progress_total = 0
                    WHERE rowid = (SELECT rowid FROM jobs INDEXED BY jobs_claim_order
                                WHERE state = 'queued' AND run_after <= ?
                                ORDER BY priority DESC, created_at, rowid LIMIT 1)
                    RETURNING rowid AS claimed_rowid, \(Self.jobColumns)
                    """), arguments: [token, now + leaseSeconds, worker, now, now, now])
                else { return nil }
                do {
                    return ClaimedJob(job: try Self.decodeJob(row), leaseToken: token)
                } catch let error as QueueError where error.code == .corrupt {
                    try db.cachedStatement(sql: """
                        UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, updated_at = ?,
                            lease_token = NULL, lease_expires_at = NULL
                        WHERE rowid = ?
                        """).execute(arguments: [error.message, now, now, row["claimed_rowid"] as Int64])
                }
            }
        }
    }

    /// A job whose lease ran out lost its worker: it goes back to the queue, or ends `failed` when
    /// it has used all its attempts, or `canceled` if a cancel was waiting for it.
    func reapExpiredLeases(_ db: Database, now: Double) throws {
        try db.cachedStatement(sql: """
            UPDATE jobs
            SET state = CASE WHEN cancel_requested THEN 'canceled'
                             WHEN attempts >= max_attempts THEN 'failed'
                             ELSE 'queued' END,
                error = CASE WHEN cancel_requested THEN error
                             ELSE 'worker ' || coalesce(worker, '?') || ' lost its lease on attempt ' || attempts END,
                finished_at = CASE WHEN cancel_requested OR attempts >= max_attempts THEN ? ELSE NULL END,
                run_after = ?, lease_token = NULL, lease_expires_at = NULL, updated_at = ?
            WHERE rowid IN (SELECT rowid FROM jobs INDEXED BY jobs_running_leases
                            WHERE state = 'running' AND lease_expires_at < ?)
            """).execute(arguments: [now, now, now, now])
    }

    /// Extends the lease and records progress. Tells the worker to stop if the user canceled.
    public func heartbeat(_ claim: ClaimedJob, step: Int, total: Int, leaseSeconds: TimeInterval) throws -> HeartbeatReply {
        try immediate { db in
            let now = clock()
            guard let cancelRequested = try Bool.fetchOne(db.cachedStatement(sql: """
                UPDATE jobs SET lease_expires_at = ?, progress_step = ?, progress_total = ?, updated_at = ?
                WHERE id = ? AND lease_token = ? AND state = 'running'
                RETURNING cancel_requested
                """), arguments: [now + leaseSeconds, step, total, now, claim.job.id, claim.leaseToken])
            else { throw claim.leaseLost() }
            return cancelRequested ? .cancelRequested : .keepGoing
        }
    }

    /// Stores the images and marks the job `succeeded`, in one transaction. If a cancel arrived
    /// since the last heartbeat, the job ends `canceled` and no image is kept. `warning` is kept with the
    /// job for the user (`status`).
    @discardableResult
    public func complete(_ claim: ClaimedJob, images: [RenderedImage], modelID: String, weightsHash: String?,
                         warning: String? = nil) throws -> CompletionOutcome {
        try claim.checkComplete(images)
        let digests = images.map { SHA256Hex.of($0.jpeg) }
        return try immediate { db in
            let now = clock()
            guard let cancelRequested = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT cancel_requested FROM jobs WHERE id = ? AND lease_token = ? AND state = 'running'
                """), arguments: [claim.job.id, claim.leaseToken])
            else { throw claim.leaseLost() }
            if cancelRequested {
                try finishCanceled(db, claim: claim, now: now)
                return .canceled
            }
            for (image, digest) in zip(images, digests) {
                try db.cachedStatement(sql: """
                    INSERT INTO images (job_id, image_index, seed, width, height, sha256, jpeg)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [claim.job.id, image.index, image.seed, image.width, image.height, digest, image.jpeg])
            }
            try db.cachedStatement(sql: """
                UPDATE jobs SET state = 'succeeded', model_id = ?, weights_hash = ?, warning = ?, finished_at = ?, updated_at = ?,
                    lease_token = NULL, lease_expires_at = NULL, error = NULL, progress_step = progress_total
                WHERE id = ? AND lease_token = ?
                """).execute(arguments: [modelID, weightsHash, warning, now, now, claim.job.id, claim.leaseToken])
            return .succeeded
        }
    }

    /// Records a failed attempt: back to `queued` after an exponential backoff, or `failed` with
    /// the error once `max_attempts` is used up (or at once when `retryable` is false).
    @discardableResult
    public func fail(_ claim: ClaimedJob, error message: String, retryable: Bool = true) throws -> FailureOutcome {
        try immediate { db in
            let now = clock()
            guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                SELECT attempts, max_attempts FROM jobs WHERE id = ? AND lease_token = ? AND state = 'running'
                """), arguments: [claim.job.id, claim.leaseToken])
            else { throw claim.leaseLost() }
            let attempts: Int = row["attempts"]
            let maxAttempts: Int = row["max_attempts"]
            if retryable && attempts < maxAttempts {
                let delay = retryBackoff.delay(afterAttempt: attempts)
                try db.cachedStatement(sql: """
                    UPDATE jobs SET state = 'queued', run_after = ?, error = ?, updated_at = ?,
                        lease_token = NULL, lease_expires_at = NULL
                    WHERE id = ?
                    """).execute(arguments: [now + delay, message, now, claim.job.id])
                return .retryScheduled(after: delay)
            }
            try db.cachedStatement(sql: """
                UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, updated_at = ?,
                    lease_token = NULL, lease_expires_at = NULL
                WHERE id = ?
                """).execute(arguments: [message, now, now, claim.job.id])
            return .failed
        }
    }

    /// Gives a job back untouched (a worker shutting down): queued again at once, and the
    /// interrupted attempt does not count.
    public func release(_ claim: ClaimedJob) throws {
        try immediate { db in
            let now = clock()
            try db.cachedStatement(sql: """
                UPDATE jobs SET state = CASE WHEN cancel_requested THEN 'canceled' ELSE 'queued' END,
                    finished_at = CASE WHEN cancel_requested THEN ? ELSE NULL END,
                    attempts = attempts - 1, run_after = ?, updated_at = ?, lease_token = NULL, lease_expires_at = NULL,
                    progress_step = 0, progress_total = 0
                WHERE id = ? AND lease_token = ? AND state = 'running'
                """).execute(arguments: [now, now, now, claim.job.id, claim.leaseToken])
            guard db.changesCount == 1 else { throw claim.leaseLost() }
        }
    }

    /// The worker saw `cancelRequested` and stopped: the job ends `canceled` with no images.
    public func acknowledgeCancel(_ claim: ClaimedJob) throws {
        try immediate { db in
            let now = clock()
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM jobs WHERE id = ? AND lease_token = ? AND state = 'running'"),
                                    arguments: [claim.job.id, claim.leaseToken]) != nil
            else { throw claim.leaseLost() }
            try finishCanceled(db, claim: claim, now: now)
        }
    }

    func finishCanceled(_ db: Database, claim: ClaimedJob, now: Double) throws {
        try db.cachedStatement(sql: """
            UPDATE jobs SET state = 'canceled', finished_at = ?, updated_at = ?, lease_token = NULL, lease_expires_at = NULL
            WHERE id = ?
            """).execute(arguments: [now, now, claim.job.id])
    }
}
