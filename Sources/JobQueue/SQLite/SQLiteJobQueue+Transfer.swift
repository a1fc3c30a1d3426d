import Foundation
import GRDB

/// `queue copy` and consistency checks; and what the protocol asks that a file cannot do.
extension SQLiteJobQueue: JobQueue {
    public func exportJobs(after: String?, limit: Int) throws -> [JobSnapshot] {
        precondition(limit > 0, "export limit must be positive")
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.jobColumns) FROM jobs WHERE id > ? ORDER BY id LIMIT ?",
                             arguments: [after ?? "", limit]).map { row in
                let record = try Self.record(row)
                let images = try Row.fetchAll(db, sql: """
                    SELECT image_index, seed, width, height, sha256, jpeg FROM images WHERE job_id = ? ORDER BY image_index
                    """, arguments: [record.id]).map { image in
                    let jpeg: Data = try image.decode(forColumn: "jpeg")
                    return StoredImage(info: try Self.imageInfo(image, jobID: record.id, bytes: jpeg.count), jpeg: jpeg)
                }
                return JobSnapshot(job: try record.job(images: images.map(\.info)), requestDigest: record.requestDigest,
                                   leaseToken: record.leaseToken, images: images)
            }
        }
    }

    public func importJobs(_ jobs: [JobSnapshot]) throws {
        try immediate { db in
            for snapshot in jobs {
                let r = JobRecord(snapshot: snapshot)
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM jobs WHERE id = ?", arguments: [r.id]) != nil {
                    throw QueueError(.invalidRequest, "job \(r.id) is already in \(path)")
                }
                try db.execute(sql: """
                    INSERT INTO jobs (\(JobRecord.columns))
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        r.id, r.idempotencyKey, r.requestDigest, r.state, r.prompt, r.negativePrompt, r.seeds, r.imageCount,
                        r.steps, r.guidance, r.sampler, r.modelID, r.weightsHash, r.priority, r.maxAttempts, r.attempts,
                        r.runAfter, r.createdAt, r.updatedAt, r.startedAt, r.finishedAt, r.worker, r.leaseToken,
                        r.leaseExpiresAt, r.progressStep, r.progressTotal, r.cancelRequested, r.error, r.warning,
                    ])
                for image in snapshot.images {
                    try db.execute(sql: """
                        INSERT INTO images (job_id, image_index, seed, width, height, sha256, jpeg) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [r.id, image.info.index, image.info.seed, image.info.width, image.info.height,
                                         image.info.sha256, image.jpeg])
                }
            }
        }
    }

    public func deleteAllJobs() throws -> Int {
        try immediate { db in
            try db.execute(sql: "DELETE FROM jobs")
            return db.changesCount
        }
    }

    public func storedImageIndices() throws -> [String: [Int]] {
        try read { db in
            var result: [String: [Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT job_id, image_index FROM images ORDER BY job_id, image_index") {
                result[row["job_id"], default: []].append(row["image_index"])
            }
            return result
        }
    }

    /// A file has no way to announce a submit to another process; workers find new jobs by polling.
    public func watchForWork(_ onWork: @escaping @Sendable () -> Void) {}

    public func close() {
        try? database.close()
    }
}
