import Foundation
import PostgresNIO

/// `queue copy` and consistency checks, and the notifications that wake idle workers.
extension PostgresJobQueue: JobQueue {
    public func exportJobs(after: String?, limit: Int) async throws -> [JobSnapshot] {
        precondition(limit > 0, "export limit must be positive")
        let jobs = try PostgresJobRows.read(await rows("""
            SELECT \(unescaped: PostgresJobRows.columns(withBytes: true))
            FROM (SELECT * FROM jobs WHERE id > \(after ?? "") ORDER BY id LIMIT \(limit)) AS jobs
            LEFT JOIN images ON images.job_id = jobs.id
            ORDER BY jobs.id, image_index
            """, timeout: bulkTimeout), withBytes: true)
        return try jobs.map { rows in
            let images = zip(rows.images, rows.jpegs).map { StoredImage(info: $0, jpeg: $1) }
            return JobSnapshot(job: try rows.job(), requestDigest: rows.record.requestDigest, leaseToken: rows.record.leaseToken,
                               images: images)
        }
    }

    /// In one transaction: the jobs in multi-row inserts, then their images. An id already
    /// present (or twice in `jobs`) stores nothing and names the first such job.
    public func importJobs(_ jobs: [JobSnapshot]) async throws {
        guard !jobs.isEmpty else { return }
        let logger = logger
        let location = location
        do {
            try await withConnection(timeout: bulkTimeout) { connection in
                try await Self.transaction(connection, logger: logger) {
                    for chunk in Self.chunks(of: jobs, maxCount: Self.importJobsPerStatement, bytes: { _ in 0 }) {
                        try await connection.query(Self.insertJobs(Array(chunk.map(JobRecord.init(snapshot:)))), logger: logger)
                    }
                    let images = jobs.flatMap { snapshot in snapshot.images.map { (jobID: snapshot.job.id, image: $0) } }
                    for chunk in Self.chunks(of: images, maxCount: Self.importImagesPerStatement, bytes: { $0.image.jpeg.count }) {
                        try await connection.query(Self.insertImages(chunk), logger: logger)
                    }
                }
            }
        } catch let error as QueueError where PostgresFailure.sqlState(error.cause ?? error) == "23505"
                    && (error.cause as? PSQLError)?.serverInfo?[.constraintName] == "jobs_pkey" {
            let ids = jobs.map(\.job.id)
            let present = Set(try await rows("SELECT id FROM jobs WHERE id = ANY(\(ids))").map { row -> String in
                var reader = PostgresRowReader(row)
                return try reader.next()
            })
            var seen = Set<String>()
            for id in ids {
                if present.contains(id) || !seen.insert(id).inserted {
                    throw QueueError(.invalidRequest, "job \(id) is already in \(location)")
                }
            }
            throw error
        }
    }

    /// Statements stay well below the protocol's 65,535 parameters and a few MiB each.
    static let importJobsPerStatement = 1_000
    static let importImagesPerStatement = 2_000
    static let importBytesPerStatement = 16 << 20

    static func chunks<T>(of items: [T], maxCount: Int, bytes: (T) -> Int) -> [ArraySlice<T>] {
        var chunks: [ArraySlice<T>] = []
        var start = items.startIndex
        var size = 0
        for index in items.indices {
            let itemBytes = bytes(items[index])
            if index > start && (index - start == maxCount || size + itemBytes > importBytesPerStatement) {
                chunks.append(items[start..<index])
                start = index
                size = 0
            }
            size += itemBytes
        }
        if start < items.endIndex { chunks.append(items[start...]) }
        return chunks
    }

    /// The types of `JobRecord.columns`, in order: a multi-row VALUES whose NULLs carry no type
    /// would otherwise read a column of NULLs as text.
    static let recordTypes = [
        "text", "text", "text", "text", "text", "text", "text", "int8", "int8", "float8", "text", "text", "text", "int8", "int8",
        "int8", "float8", "float8", "float8", "float8", "float8", "text", "text", "float8", "int8", "int8", "bool", "text", "text",
    ]

    /// `INSERT INTO jobs` of every stored field, one row of placeholders per record.
    static func insertJobs(_ records: [JobRecord]) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: records.count * 29)
        var rows: [String] = []
        for r in records {
            let first = bindings.count
            bindings.append(r.id)
            bindings.append(r.idempotencyKey)
            bindings.append(r.requestDigest)
            bindings.append(r.state)
            bindings.append(r.prompt)
            bindings.append(r.negativePrompt)
            bindings.append(r.seeds)
            bindings.append(r.imageCount)
            bindings.append(r.steps)
            bindings.append(r.guidance)
            bindings.append(r.sampler)
            bindings.append(r.modelID)
            bindings.append(r.weightsHash)
            bindings.append(r.priority)
            bindings.append(r.maxAttempts)
            bindings.append(r.attempts)
            bindings.append(r.runAfter)
            bindings.append(r.createdAt)
            bindings.append(r.updatedAt)
            bindings.append(r.startedAt)
            bindings.append(r.finishedAt)
            bindings.append(r.worker)
            bindings.append(r.leaseToken)
            bindings.append(r.leaseExpiresAt)
            bindings.append(r.progressStep)
            bindings.append(r.progressTotal)
            bindings.append(r.cancelRequested)
            bindings.append(r.error)
            bindings.append(r.warning)
            rows.append("(" + zip(first + 1...bindings.count, recordTypes).map { "$\($0)::\($1)" }.joined(separator: ", ") + ")")
        }
        return PostgresQuery(unsafeSQL: "INSERT INTO jobs (\(JobRecord.columns)) VALUES " + rows.joined(separator: ", "),
                             binds: bindings)
    }

    static func insertImages(_ images: ArraySlice<(jobID: String, image: StoredImage)>) -> PostgresQuery {
        var bindings = PostgresBindings(capacity: images.count * 7)
        var rows: [String] = []
        for (jobID, image) in images {
            let first = bindings.count
            bindings.append(jobID)
            bindings.append(image.info.index)
            bindings.append(image.info.seed)
            bindings.append(image.info.width)
            bindings.append(image.info.height)
            bindings.append(image.info.sha256)
            bindings.append(ByteBuffer(bytes: image.jpeg))
            rows.append("(" + (first + 1...bindings.count).map { "$\($0)" }.joined(separator: ", ") + ")")
        }
        return PostgresQuery(unsafeSQL: "INSERT INTO images (job_id, image_index, seed, width, height, sha256, jpeg) VALUES "
                             + rows.joined(separator: ", "), binds: bindings)
    }

    public func deleteAllJobs() async throws -> Int {
        guard let row = try await rows("WITH gone AS (DELETE FROM jobs RETURNING 1) SELECT count(*)::int8 FROM gone",
                                       timeout: bulkTimeout).first else {
            return 0
        }
        var reader = PostgresRowReader(row)
        return try reader.next()
    }

    public func storedImageIndices() async throws -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for row in try await rows("SELECT job_id, image_index FROM images ORDER BY job_id, image_index") {
            var reader = PostgresRowReader(row)
            let id: String = try reader.next()
            reader.jobID = id
            result[id, default: []].append(try reader.next())
        }
        return result
    }

    /// Listens for the notification every newly queued job sends (migration 0001's trigger) on a
    /// connection of its own, and calls `onWork` for each, and once after each reconnect.
    public func watchForWork(_ onWork: @escaping @Sendable () -> Void) {
        watcher.watch(onWork)
    }
}
