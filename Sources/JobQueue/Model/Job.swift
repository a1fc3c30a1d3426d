import Foundation
import Generation

/// A job as stored: its parameters, where it is in its lifecycle, and its images' metadata.
public struct Job: Sendable, Equatable {
    public var id: String
    public var state: JobState
    /// What to render, as submitted; the seeds are resolved (one per image).
    public var parameters: GenerationParameters
    public var priority: Int
    public var idempotencyKey: String?
    public var maxAttempts: Int
    public var attempts: Int
    public var modelID: String?
    public var weightsHash: String?
    public var progressStep: Int
    public var progressTotal: Int
    public var cancelRequested: Bool
    public var error: String?
    /// What the renderer noted about a succeeded job (e.g. a prompt longer than the model reads).
    public var warning: String?
    public var worker: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var runAfter: Date
    public var leaseExpiresAt: Date?
    public var images: [JobImageInfo]
}

/// Metadata of one stored image (the JPEG bytes are fetched separately).
public struct JobImageInfo: Sendable, Equatable, Codable {
    public var index: Int
    public var seed: Int64
    public var width: Int
    public var height: Int
    public var bytes: Int
    public var sha256: String
}

/// One image a worker hands to `complete`. The queue computes its sha256.
public struct RenderedImage: Sendable, Equatable {
    public var index: Int
    public var seed: Int64
    public var width: Int
    public var height: Int
    public var jpeg: Data

    public init(index: Int, seed: Int64, width: Int, height: Int, jpeg: Data) {
        self.index = index
        self.seed = seed
        self.width = width
        self.height = height
        self.jpeg = jpeg
    }
}

/// A job the caller holds a lease on; `leaseToken` proves it on heartbeat, complete and fail.
public struct ClaimedJob: Sendable, Equatable {
    public var job: Job
    public var leaseToken: String
}

extension ClaimedJob {
    func leaseLost() -> QueueError {
        QueueError(.leaseLost, "lease on job \(job.id) is no longer held (expired or taken by another worker)")
    }

    /// `complete` takes exactly one image per seed, indexed 0..<count.
    func checkComplete(_ images: [RenderedImage]) throws {
        let expected = job.parameters.count
        guard images.count == expected, Set(images.map(\.index)) == Set(0..<expected) else {
            throw QueueError(.invalidRequest, "job \(job.id) needs images 0..<\(expected), got indices \(images.map(\.index))")
        }
    }
}

/// What a heartbeat tells the worker.
public enum HeartbeatReply: Sendable, Equatable {
    case keepGoing
    /// The user canceled the job: stop rendering and call `acknowledgeCancel`.
    case cancelRequested
}

/// How `complete` ended.
public enum CompletionOutcome: Sendable, Equatable {
    case succeeded
    /// A cancel arrived after the last heartbeat: the job ends canceled and the images are dropped.
    case canceled
}

/// How `fail` ended.
public enum FailureOutcome: Sendable, Equatable {
    case retryScheduled(after: TimeInterval)
    case failed
}
