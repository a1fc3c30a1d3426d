import Foundation
import Generation

/// A job row as a database returned it, each column already in its Swift type but the row not yet
/// checked. Both backends read rows into this and share `job(images:)`, so a row altered outside
/// fae-t2i (bad seeds JSON, an unknown sampler, numbers outside the generation limits) is a
/// `corrupt` error naming the job on either, never a crash.
struct JobRecord {
    var id: String
    var idempotencyKey: String?
    var requestDigest: String?
    var state: String
    var prompt: String
    var negativePrompt: String
    var seeds: String             // JSON array, one seed per image
    var imageCount: Int
    var steps: Int
    var guidance: Double
    var sampler: String
    var modelID: String?
    var weightsHash: String?
    var priority: Int
    var maxAttempts: Int
    var attempts: Int
    var runAfter: Double          // Unix seconds, like every time below
    var createdAt: Double
    var updatedAt: Double
    var startedAt: Double?
    var finishedAt: Double?
    var worker: String?
    var leaseToken: String?
    var leaseExpiresAt: Double?
    var progressStep: Int
    var progressTotal: Int
    var cancelRequested: Bool
    var error: String?
    var warning: String?

    /// The columns every backend selects for a `JobRecord`, in this order.
    static let columns = """
        id, idempotency_key, request_digest, state, prompt, negative_prompt, seeds, image_count, steps, guidance,
        sampler, model_id, weights_hash, priority, max_attempts, attempts, run_after, created_at, updated_at,
        started_at, finished_at, worker, lease_token, lease_expires_at, progress_step, progress_total,
        cancel_requested, error, warning
        """

    func corrupt(_ reason: String, cause: Error? = nil) -> QueueError {
        QueueError(.corrupt, "job \(id) cannot be read: \(reason)", cause: cause)
    }

    func job(images: [JobImageInfo] = []) throws -> Job {
        guard let seedList = try? JSONDecoder().decode([Int64].self, from: Data(seeds.utf8)) else {
            throw corrupt("its seeds are not a JSON list of integers: '\(seeds.prefix(80))'")
        }
        guard seedList.count == imageCount else {
            throw corrupt("it has \(seedList.count) seeds for \(imageCount) images")
        }
        guard let jobState = JobState(rawValue: state) else {
            throw corrupt("unknown state '\(state.prefix(40))'")
        }
        guard let samplerMethod = SamplerMethod(rawValue: sampler) else {
            throw corrupt("unknown sampler '\(sampler.prefix(40))'")
        }
        let parameters = GenerationParameters(prompt: prompt, negativePrompt: negativePrompt, seeds: seedList,
                                              steps: steps, guidance: guidance, sampler: samplerMethod)
        // Renderers rely on these rules; the texts keep the limits they were accepted under.
        do {
            try parameters.validateSettings()
        } catch let error as GenerationError {
            throw corrupt(error.message, cause: error)
        }
        func date(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }
        return Job(
            id: id, state: jobState, parameters: parameters, priority: priority, idempotencyKey: idempotencyKey,
            maxAttempts: maxAttempts, attempts: attempts, modelID: modelID, weightsHash: weightsHash,
            progressStep: progressStep, progressTotal: progressTotal, cancelRequested: cancelRequested,
            error: error, warning: warning, worker: worker, createdAt: date(createdAt), updatedAt: date(updatedAt),
            startedAt: startedAt.map(date), finishedAt: finishedAt.map(date), runAfter: date(runAfter),
            leaseExpiresAt: leaseExpiresAt.map(date), images: images)
    }
}

extension JobRecord {
    /// The record of a job as it stands, for `importJobs`.
    init(snapshot: JobSnapshot) {
        let job = snapshot.job
        let seedsJSON = String(decoding: (try? JSONEncoder().encode(job.parameters.seeds)) ?? Data("[]".utf8), as: UTF8.self)
        self.init(
            id: job.id, idempotencyKey: job.idempotencyKey, requestDigest: snapshot.requestDigest, state: job.state.rawValue,
            prompt: job.parameters.prompt, negativePrompt: job.parameters.negativePrompt, seeds: seedsJSON,
            imageCount: job.parameters.count, steps: job.parameters.steps, guidance: job.parameters.guidance,
            sampler: job.parameters.sampler.rawValue, modelID: job.modelID, weightsHash: job.weightsHash,
            priority: job.priority, maxAttempts: job.maxAttempts, attempts: job.attempts,
            runAfter: job.runAfter.timeIntervalSince1970, createdAt: job.createdAt.timeIntervalSince1970,
            updatedAt: job.updatedAt.timeIntervalSince1970, startedAt: job.startedAt?.timeIntervalSince1970,
            finishedAt: job.finishedAt?.timeIntervalSince1970, worker: job.worker, leaseToken: snapshot.leaseToken,
            leaseExpiresAt: job.leaseExpiresAt?.timeIntervalSince1970, progressStep: job.progressStep,
            progressTotal: job.progressTotal, cancelRequested: job.cancelRequested, error: job.error, warning: job.warning)
    }
}
