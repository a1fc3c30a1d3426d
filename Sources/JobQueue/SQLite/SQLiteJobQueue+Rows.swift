import Foundation
import GRDB

extension SQLiteJobQueue {
    static let jobColumns = JobRecord.columns

    /// A stored row as a `Job`. Every column is read with a throwing conversion (SQLite lets any
    /// column hold text), then the shared checks of `JobRecord.job(images:)` apply.
    static func decodeJob(_ row: Row, images: [JobImageInfo] = []) throws -> Job {
        try record(row).job(images: images)
    }

    static func record(_ row: Row) throws -> JobRecord {
        let id = (try? row.decode(String.self, forColumn: "id")) ?? "?"
        func value<T: DatabaseValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
            do {
                return try row.decode(T.self, forColumn: column)
            } catch {
                throw QueueError(.corrupt, "job \(id) cannot be read: column \(column) holds \(row[column] as DatabaseValue)", cause: error)
            }
        }
        return JobRecord(
            id: try value("id"), idempotencyKey: try value("idempotency_key"), requestDigest: try value("request_digest"),
            state: try value("state"), prompt: try value("prompt"), negativePrompt: try value("negative_prompt"),
            seeds: try value("seeds"), imageCount: try value("image_count"), steps: try value("steps"),
            guidance: try value("guidance"), sampler: try value("sampler"), modelID: try value("model_id"),
            weightsHash: try value("weights_hash"), priority: try value("priority"), maxAttempts: try value("max_attempts"),
            attempts: try value("attempts"), runAfter: try value("run_after"), createdAt: try value("created_at"),
            updatedAt: try value("updated_at"), startedAt: try value("started_at"), finishedAt: try value("finished_at"),
            worker: try value("worker"), leaseToken: try value("lease_token"), leaseExpiresAt: try value("lease_expires_at"),
            progressStep: try value("progress_step"), progressTotal: try value("progress_total"),
            cancelRequested: try value("cancel_requested"), error: try value("error"), warning: try value("warning"))
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
