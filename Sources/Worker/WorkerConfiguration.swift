import Foundation

/// How a worker daemon behaves. Defaults match `fae-t2i worker` without flags.
public struct WorkerConfiguration: Sendable {
    /// Lease length in seconds; heartbeats renew it every third of it.
    public var leaseSeconds: Double = 30
    /// Sleep between claims when the queue is empty.
    public var pollSeconds: Double = 1
    /// Stop after this many jobs (nil: run until stopped).
    public var maxJobs: Int?
    /// Stop once no job is queued or running anywhere.
    public var exitWhenIdle = false
    /// Recorded on each claimed job.
    public var name: String
    /// JPEG quality of stored images.
    public var jpegQuality = 95
    /// How long a busy or locked database is retried before the worker gives up on an operation.
    public var busyRetrySeconds: Double = 60
    /// Queue failures in a row (other than a busy database) before the worker exits; they are
    /// retried with a doubling delay from 0.5 s, about 7.5 s in all with the default.
    public var queueFailureLimit = 5
    /// When set, the worker takes its share of the cores among the workers holding slots on this
    /// host, looked at before each job (the default when no thread count is given).
    public var hostSlots: HostWorkerSlots?

    public init(name: String = WorkerConfiguration.defaultName()) {
        self.name = name
    }

    public static func defaultName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(getpid())"
    }
}
