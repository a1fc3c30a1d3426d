import Foundation
import GRDB

/// The result of `submit`: the job, and whether an idempotency key matched an earlier one.
public struct SubmitResult: Sendable, Equatable {
    public var job: Job
    public var reusedExisting: Bool
}

extension JobQueue {
    /// Validates and enqueues a job. With an idempotency key that is already known, returns the
    /// existing job instead of creating another.
    @discardableResult
    public func submit(_ request: JobRequest) throws -> SubmitResult {
        try request.validate()
        let seeds = request.resolvedSeeds()
        let seedsJSON = String(decoding: try JSONEncoder().encode(seeds), as: UTF8.self)
        return try immediate { db in
            if let key = request.idempotencyKey,
               let existingID = try String.fetchOne(db, sql: "SELECT id FROM jobs WHERE idempotency_key = ?", arguments: [key]) {
                return SubmitResult(job: try Self.requireJob(db, id: existingID), reusedExisting: true)
            }
            let now = clock()
            let id = JobID.generate()
            try db.execute(sql: """
                INSERT INTO jobs (id, idempotency_key, state, prompt, negative_prompt, seeds, image_count, steps,
                                  guidance, sampler, priority, max_attempts, run_after, created_at, updated_at)
                VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, request.idempotencyKey, request.prompt, request.negativePrompt, seedsJSON,
                                 request.count, request.steps, request.guidance, request.sampler, request.priority,
                                 request.maxAttempts, now, now, now])
            return SubmitResult(job: try Self.requireJob(db, id: id), reusedExisting: false)
        }
    }
}
