import Foundation
import Generation
import GRDB

extension SQLiteJobQueue {
    /// Enqueues a job. With an idempotency key that is already known, returns the existing job
    /// instead of creating another, if it was submitted with the same parameters; the key reused
    /// for other parameters is an `idempotencyConflict`.
    ///
    /// `request` must have been validated where it entered (`JobRequest.validate()` and
    /// `GenerationParameters.validate()`): the queue stores it as given.
    @discardableResult
    public func submit(_ request: JobRequest) throws -> SubmitResult {
        let parameters = request.parameters
        // A row the queue would refuse to decode later must never be written: checked in debug
        // builds, where the tests run; the entry points have validated it already.
        assert((try? request.validate()) != nil && (try? parameters.validate()) != nil, "JobQueue.submit needs a validated request")
        let seedsJSON = String(decoding: try JSONEncoder().encode(parameters.seeds), as: UTF8.self)
        let digest = request.digest
        return try immediate { db in
            if let key = request.idempotencyKey,
               let existing = try Row.fetchOne(db, sql: "SELECT id, request_digest FROM jobs WHERE idempotency_key = ?",
                                               arguments: [key]) {
                let existingID: String = try existing.decode(forColumn: "id")
                let job = try Self.requireJob(db, id: existingID)
                let stored: String? = try existing.decode(forColumn: "request_digest")
                guard request.asks(for: job, storedDigest: stored) else {
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
                """, arguments: [id, request.idempotencyKey, digest, parameters.prompt, parameters.negativePrompt, seedsJSON,
                                 parameters.count, parameters.steps, parameters.guidance, parameters.sampler.rawValue,
                                 request.priority, request.maxAttempts, now, now, now])
            return SubmitResult(job: try Self.requireJob(db, id: id), reusedExisting: false)
        }
    }
}
