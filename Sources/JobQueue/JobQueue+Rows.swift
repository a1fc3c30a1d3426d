import Foundation
import GRDB

extension JobQueue {
    static let jobColumns = """
        id, idempotency_key, state, prompt, negative_prompt, seeds, image_count, steps, guidance, sampler,
        model_id, weights_hash, priority, max_attempts, attempts, run_after, created_at, updated_at,
        started_at, finished_at, worker, lease_token, lease_expires_at, progress_step, progress_total,
        cancel_requested, error, warning
        """

    static func decodeJob(_ row: Row, images: [JobImageInfo] = []) throws -> Job {
        let seedsText: String = row["seeds"]
        guard let seedData = seedsText.data(using: .utf8),
              let seeds = try? JSONDecoder().decode([Int64].self, from: seedData) else {
            throw QueueError(.storage, "job \(row["id"] as String? ?? "?") has unreadable seeds '\(seedsText)'")
        }
        let stateText: String = row["state"]
        guard let state = JobState(rawValue: stateText) else {
            throw QueueError(.storage, "job has unknown state '\(stateText)'")
        }
        func date(_ column: String) -> Date? {
            (row[column] as Double?).map { Date(timeIntervalSince1970: $0) }
        }
        return Job(
            id: row["id"], state: state, prompt: row["prompt"], negativePrompt: row["negative_prompt"],
            seeds: seeds, count: row["image_count"], steps: row["steps"], guidance: row["guidance"],
            sampler: row["sampler"], priority: row["priority"], idempotencyKey: row["idempotency_key"],
            maxAttempts: row["max_attempts"], attempts: row["attempts"], modelID: row["model_id"],
            weightsHash: row["weights_hash"], progressStep: row["progress_step"],
            progressTotal: row["progress_total"], cancelRequested: row["cancel_requested"],
            error: row["error"], warning: row["warning"], worker: row["worker"],
            createdAt: date("created_at") ?? Date(timeIntervalSince1970: 0),
            updatedAt: date("updated_at") ?? Date(timeIntervalSince1970: 0),
            startedAt: date("started_at"), finishedAt: date("finished_at"),
            runAfter: date("run_after") ?? Date(timeIntervalSince1970: 0),
            leaseExpiresAt: date("lease_expires_at"), images: images)
    }

    static func imageInfos(_ db: Database, jobID: String) throws -> [JobImageInfo] {
        try Row.fetchAll(db, sql: """
            SELECT image_index, seed, width, height, length(jpeg) AS bytes, sha256
            FROM images WHERE job_id = ? ORDER BY image_index
            """, arguments: [jobID]).map {
            JobImageInfo(index: $0["image_index"], seed: $0["seed"], width: $0["width"], height: $0["height"],
                         bytes: $0["bytes"], sha256: $0["sha256"])
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
