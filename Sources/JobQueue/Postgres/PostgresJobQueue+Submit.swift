import Foundation
import Generation
import PostgresNIO

extension PostgresJobQueue {
    /// Enqueues a job in one statement. With an idempotency key that is already known, returns the
    /// existing job instead of creating another, if it was submitted with the same parameters; the
    /// key reused for other parameters is an `idempotencyConflict`.
    ///
    /// The key's UNIQUE constraint decides between racing submits: the insert that loses returns
    /// no row, and the job that won is read and compared.
    ///
    /// `request` must have been validated where it entered (`JobRequest.validate()` and
    /// `GenerationParameters.validate()`): the queue stores it as given.
    @discardableResult
    public func submit(_ request: JobRequest) async throws -> SubmitResult {
        assert((try? request.validate()) != nil && (try? request.parameters.validate()) != nil,
               "JobQueue.submit needs a validated request")
        let seedsJSON = String(decoding: try JSONEncoder().encode(request.parameters.seeds), as: UTF8.self)
        let digest = request.digest
        let logger = logger
        // A second pass only follows a job that vanished (pruned) between the insert and the read,
        // or a new id that was taken.
        for _ in 0..<Self.submitAttempts {
            let statement = PostgresStatement.Submit(id: JobID.generate(), request: request, digest: digest, seedsJSON: seedsJSON,
                                                     now: clock())
            let inserted = try await withConnection { connection in
                try await connection.execute(statement, logger: logger).reduce(into: [PostgresRow]()) { $0.append($1) }
            }
            if let row = inserted.first {
                return SubmitResult(job: try PostgresJobRows.record(row).job(), reusedExisting: false)
            }
            guard let key = request.idempotencyKey else { continue }
            let existing = try PostgresJobRows.read(await rows("""
                SELECT \(unescaped: PostgresJobRows.columns(withBytes: false))
                FROM jobs LEFT JOIN images ON images.job_id = jobs.id
                WHERE jobs.idempotency_key = \(key) ORDER BY image_index
                """), withBytes: false)
            guard let found = existing.first else { continue }
            let job = try found.job()
            guard request.asks(for: job, storedDigest: found.record.requestDigest) else {
                throw QueueError(.idempotencyConflict,
                    "idempotency key '\(key)' was already used for job \(job.id) with other parameters; use a new key")
            }
            return SubmitResult(job: job, reusedExisting: true)
        }
        throw QueueError(.storage, "database \(location) kept refusing a new job; try again")
    }

    static let submitAttempts = 5
}
