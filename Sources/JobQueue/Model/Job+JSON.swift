import Foundation

extension Job: Encodable {
    enum CodingKeys: String, CodingKey {
        case id, state, progress, attempts, error, warning, parameters, images, timestamps, worker
        case maxAttempts = "max_attempts"
        case cancelRequested = "cancel_requested"
    }

    enum ParameterKeys: String, CodingKey {
        case prompt, seeds, count, steps, guidance, sampler, priority
        case negativePrompt = "negative_prompt"
        case idempotencyKey = "idempotency_key"
        case modelID = "model_id"
        case weightsHash = "weights_hash"
    }

    enum ProgressKeys: String, CodingKey { case step, total }

    enum TimestampKeys: String, CodingKey {
        case created = "created_at", updated = "updated_at", started = "started_at"
        case finished = "finished_at", runAfter = "run_after", leaseExpires = "lease_expires_at"
    }

    /// The shape of `status --json`: one object with state, progress, attempts, error, timestamps,
    /// parameters and images.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(state, forKey: .state)
        var progress = container.nestedContainer(keyedBy: ProgressKeys.self, forKey: .progress)
        try progress.encode(progressStep, forKey: .step)
        try progress.encode(progressTotal, forKey: .total)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(maxAttempts, forKey: .maxAttempts)
        try container.encode(error, forKey: .error)
        try container.encode(warning, forKey: .warning)
        try container.encode(cancelRequested, forKey: .cancelRequested)
        try container.encode(worker, forKey: .worker)

        var parameters = container.nestedContainer(keyedBy: ParameterKeys.self, forKey: .parameters)
        let generation = self.parameters
        try parameters.encode(generation.prompt, forKey: .prompt)
        try parameters.encode(generation.negativePrompt, forKey: .negativePrompt)
        try parameters.encode(generation.seeds, forKey: .seeds)
        try parameters.encode(generation.count, forKey: .count)
        try parameters.encode(generation.steps, forKey: .steps)
        try parameters.encode(generation.guidance, forKey: .guidance)
        try parameters.encode(generation.sampler, forKey: .sampler)
        try parameters.encode(priority, forKey: .priority)
        try parameters.encode(idempotencyKey, forKey: .idempotencyKey)
        try parameters.encode(modelID, forKey: .modelID)
        try parameters.encode(weightsHash, forKey: .weightsHash)

        var timestamps = container.nestedContainer(keyedBy: TimestampKeys.self, forKey: .timestamps)
        try timestamps.encode(Self.iso8601(createdAt), forKey: .created)
        try timestamps.encode(Self.iso8601(updatedAt), forKey: .updated)
        try timestamps.encode(startedAt.map(Self.iso8601), forKey: .started)
        try timestamps.encode(finishedAt.map(Self.iso8601), forKey: .finished)
        try timestamps.encode(Self.iso8601(runAfter), forKey: .runAfter)
        try timestamps.encode(leaseExpiresAt.map(Self.iso8601), forKey: .leaseExpires)
        try container.encode(images, forKey: .images)
    }

    /// RFC 3339 in UTC with milliseconds. The format style is Swift code; building an
    /// `ISO8601DateFormatter` per call (ICU underneath) took a third of the server's time on
    /// `GET /v1/jobs/{id}`.
    public static func iso8601(_ date: Date) -> String {
        timestampStyle.format(date)
    }

    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
