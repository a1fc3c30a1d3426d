import Foundation
import GRDB

/// The result of `submit`: the job, and whether an idempotency key matched an earlier one.
public struct SubmitResult: Sendable, Equatable {
    public var job: Job
    public var reusedExisting: Bool
}

extension JobQueue {
    /// Validates and enqueues a job. With an idempotency key that is already known, returns the
    /// existing job instead of creating another, if it was submitted with the same parameters;
    /// the key reused for other parameters is an `idempotencyConflict`.
    @discardableResult
    public func submit(_ request: JobRequest) throws -> SubmitResult {
        try request.validate()
        let seeds = request.resolvedSeeds()
        let seedsJSON = String(decoding: try JSONEncoder().encode(seeds), as: UTF8.self)
        let digest = request.digest
        return try immediate { db in
            if let key = request.idempotencyKey,
               let existing = try Row.fetchOne(db, sql: "SELECT id, request_digest FROM jobs WHERE idempotency_key = ?",
                                               arguments: [key]) {
                let existingID: String = try existing.decode(forColumn: "id")
                let job = try Self.requireJob(db, id: existingID)
                let stored: String? = try existing.decode(forColumn: "request_digest")
                guard stored.map({ $0 == digest }) ?? Self.sameParameters(job, request) else {
                    throw QueueError(.idempotencyConflict,
                        "idempotency key '\(key)' was already used for job \(existingID) with other parameters; use a new key")
                }
                return SubmitResult(job: job, reusedExisting: true)
            }
            let now = clock()
            let id = JobID.generate()
            try db.execute(sql: """
                INSERT INTO jobs (id, idempotency_key, request_digest, state, prompt, negative_prompt, seeds, image_count, steps,
                                  guidance, sampler, priority, max_attempts, run_after, created_at, updated_at)
                VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, request.idempotencyKey, digest, request.prompt, request.negativePrompt, seedsJSON,
                                 request.count, request.steps, request.guidance, request.sampler, request.priority,
                                 request.maxAttempts, now, now, now])
            return SubmitResult(job: try Self.requireJob(db, id: id), reusedExisting: false)
        }
    }

    /// For jobs stored without a digest: the stored fields against the request's (a request
    /// without a seed matches any seeds).
    static func sameParameters(_ job: Job, _ request: JobRequest) -> Bool {
        job.prompt == request.prompt && job.negativePrompt == request.negativePrompt && job.count == request.count
            && job.steps == request.steps && job.guidance == request.guidance && job.sampler == request.sampler
            && job.priority == request.priority && job.maxAttempts == request.maxAttempts
            && (request.seed == nil || job.seeds == request.resolvedSeeds())
    }
}
