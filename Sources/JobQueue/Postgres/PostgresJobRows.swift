import Foundation
import PostgresNIO

/// One job as read from a join of `jobs` with its `images`: the job's row, then one row per image
/// (or a single row of NULL image columns for a job without any), sorted by job then image index.
struct PostgresJobRows {
    var record: JobRecord
    var images: [JobImageInfo] = []
    /// The images' bytes, when the query selected them; in the order of `images`.
    var jpegs: [Data] = []

    /// The columns such a query selects, in the order `read` expects: `JobRecord.columns`, then the
    /// image's metadata (and its bytes `withBytes`).
    static func columns(withBytes: Bool) -> String {
        JobRecord.columns + ", image_index, seed, width, height, octet_length(jpeg), sha256" + (withBytes ? ", jpeg" : "")
    }

    static let recordColumnCount = 29

    /// The jobs in the order the rows came.
    static func read(_ rows: [PostgresRow], withBytes: Bool) throws -> [PostgresJobRows] {
        var jobs: [PostgresJobRows] = []
        for row in rows {
            var reader = PostgresRowReader(row)
            let id: String = try reader.next()
            reader.jobID = id
            if let last = jobs.last, last.record.id == id {
                reader.skip(recordColumnCount - 1)
            } else {
                jobs.append(PostgresJobRows(record: try record(id: id, &reader)))
            }
            guard let index: Int = try reader.next() else { continue }
            let info = JobImageInfo(index: index, seed: try reader.next(), width: try reader.next(), height: try reader.next(),
                                    bytes: try reader.next(), sha256: try reader.next())
            jobs[jobs.count - 1].images.append(info)
            if withBytes { jobs[jobs.count - 1].jpegs.append(try reader.next()) }
        }
        return jobs
    }

    /// A row of `JobRecord.columns` whose id has been read already.
    static func record(id: String, _ reader: inout PostgresRowReader) throws -> JobRecord {
        JobRecord(
            id: id, idempotencyKey: try reader.next(), requestDigest: try reader.next(), state: try reader.next(),
            prompt: try reader.next(), negativePrompt: try reader.next(), seeds: try reader.next(), imageCount: try reader.next(),
            steps: try reader.next(), guidance: try reader.next(), sampler: try reader.next(), modelID: try reader.next(),
            weightsHash: try reader.next(), priority: try reader.next(), maxAttempts: try reader.next(), attempts: try reader.next(),
            runAfter: try reader.next(), createdAt: try reader.next(), updatedAt: try reader.next(), startedAt: try reader.next(),
            finishedAt: try reader.next(), worker: try reader.next(), leaseToken: try reader.next(),
            leaseExpiresAt: try reader.next(), progressStep: try reader.next(), progressTotal: try reader.next(),
            cancelRequested: try reader.next(), error: try reader.next(), warning: try reader.next())
    }

    /// A row that starts with `JobRecord.columns`.
    static func record(_ row: PostgresRow) throws -> JobRecord {
        var reader = PostgresRowReader(row)
        let id: String = try reader.next()
        reader.jobID = id
        return try record(id: id, &reader)
    }

    func job() throws -> Job {
        try record.job(images: images)
    }
}
