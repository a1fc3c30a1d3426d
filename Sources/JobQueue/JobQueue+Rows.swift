import Foundation
import Generation
import GRDB

extension JobQueue {
    static let jobColumns = """
        id, idempotency_key, state, prompt, negative_prompt, seeds, image_count, steps, guidance, sampler,
        model_id, weights_hash, priority, max_attempts, attempts, run_after, created_at, updated_at,
        started_at, finished_at, worker, lease_token, lease_expires_at, progress_step, progress_total,
        cancel_requested, error, warning
        """

    /// A stored row as a `Job`. Every column is read with a throwing conversion: a row altered
    /// outside fae-t2i (text where a number belongs, bad seeds JSON, an unknown sampler, numbers
    /// outside `GenerationParameters.validateSettings()`) is a `corrupt` error naming the job, never
    /// a crash.
    static func decodeJob(_ row: Row, images: [JobImageInfo] = []) throws -> Job {
        let id = (try? row.decode(String.self, forColumn: "id")) ?? "?"
        func value<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
            do {
                return try row.decode(T.self, forColumn: column)
            } catch {
                throw QueueError(.corrupt, "job \(id) cannot be read: column \(column) holds \(row[column] as DatabaseValue)", cause: error)
            }
        }
        func date(_ column: String) throws -> Date? {
            try value(column, as: Double?.self).map { Date(timeIntervalSince1970: $0) }
        }
        let seedsText: String = try value("seeds")
        guard let seeds = try? JSONDecoder().decode([Int64].self, from: Data(seedsText.utf8)) else {
            throw QueueError(.corrupt, "job \(id) cannot be read: its seeds are not a JSON list of integers: '\(seedsText.prefix(80))'")
        }
        let count: Int = try value("image_count")
        guard seeds.count == count else {
            throw QueueError(.corrupt, "job \(id) cannot be read: it has \(seeds.count) seeds for \(count) images")
        }
        let stateText: String = try value("state")
        guard let state = JobState(rawValue: stateText) else {
            throw QueueError(.corrupt, "job \(id) cannot be read: unknown state '\(stateText.prefix(40))'")
        }
        let samplerText: String = try value("sampler")
        guard let sampler = SamplerMethod(rawValue: samplerText) else {
            throw QueueError(.corrupt, "job \(id) cannot be read: unknown sampler '\(samplerText.prefix(40))'")
        }
        let parameters = GenerationParameters(prompt: try value("prompt"), negativePrompt: try value("negative_prompt"),
                                              seeds: seeds, steps: try value("steps"), guidance: try value("guidance"),
                                              sampler: sampler)
        // Renderers rely on these rules; the texts keep the limits they were accepted under.
        do {
            try parameters.validateSettings()
        } catch let error as GenerationError {
            throw QueueError(.corrupt, "job \(id) cannot be read: \(error.message)", cause: error)
        }
        return Job(
            id: try value("id"), state: state, parameters: parameters, priority: try value("priority"),
            idempotencyKey: try value("idempotency_key"),
            maxAttempts: try value("max_attempts"), attempts: try value("attempts"), modelID: try value("model_id"),
            weightsHash: try value("weights_hash"), progressStep: try value("progress_step"),
            progressTotal: try value("progress_total"), cancelRequested: try value("cancel_requested"),
            error: try value("error"), warning: try value("warning"), worker: try value("worker"),
            createdAt: try date("created_at") ?? Date(timeIntervalSince1970: 0),
            updatedAt: try date("updated_at") ?? Date(timeIntervalSince1970: 0),
            startedAt: try date("started_at"), finishedAt: try date("finished_at"),
            runAfter: try date("run_after") ?? Date(timeIntervalSince1970: 0),
            leaseExpiresAt: try date("lease_expires_at"), images: images)
    }

    static func imageInfos(_ db: Database, jobID: String) throws -> [JobImageInfo] {
        try Row.fetchAll(db, sql: """
            SELECT image_index, seed, width, height, length(jpeg) AS bytes, sha256
            FROM images WHERE job_id = ? ORDER BY image_index
            """, arguments: [jobID]).map { try imageInfo($0, jobID: jobID, bytes: try $0.decode(forColumn: "bytes")) }
    }

    /// One image row's metadata; a row altered outside fae-t2i is a `corrupt` error.
    static func imageInfo(_ row: Row, jobID: String, bytes: Int) throws -> JobImageInfo {
        do {
            return JobImageInfo(index: try row.decode(forColumn: "image_index"), seed: try row.decode(forColumn: "seed"),
                                width: try row.decode(forColumn: "width"), height: try row.decode(forColumn: "height"),
                                bytes: bytes, sha256: try row.decode(forColumn: "sha256"))
        } catch {
            throw QueueError(.corrupt, "an image row of job \(jobID) cannot be read: \(error)", cause: error)
        }
    }

    static func fetchJob(_ db: Database, id: String) throws -> Job? {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(jobColumns) FROM jobs WHERE id = ?", arguments: [id]) else {
            return nil
        }
        return try decodeJob(row, images: imageInfos(db, jobID: id))
    }

    static func requireJob(_ db: Database, id: String) throws -> Job {
        guard let job = try fetchJob(db, id: id) else {
            throw QueueError(.unknownJob, "no job with id \(id)")
        }
        return job
    }
}
