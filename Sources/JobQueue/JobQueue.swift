import Foundation

/// The job queue, whichever database holds it: a SQLite file on one host (`SQLiteJobQueue`) or a
/// PostgreSQL server that workers on many hosts share (`PostgresJobQueue`). A job's life is the
/// same on both (docs/architecture.md walks one job through it); the queue test suite runs
/// unchanged against each.
///
/// Every call that names a claim proves it with the claim's lease token: a stale token gets
/// `leaseLost` and changes nothing. Requests are validated where they enter
/// (`JobRequest.validate()`, `GenerationParameters.validate()`); ids are checked here.
public protocol JobQueue: AnyObject, Sendable {
    /// Where the queue lives, fit for logs and messages: a file path, or a PostgreSQL URL
    /// without its password.
    var location: String { get }

    // MARK: Submitting

    /// Enqueues a job. With an idempotency key that is already known, returns the existing job
    /// instead of creating another if it was submitted with the same parameters; the key reused
    /// for other parameters is an `idempotencyConflict`.
    func submit(_ request: JobRequest) async throws -> SubmitResult

    // MARK: The worker's side

    /// Claims the next job (highest priority, then oldest) whose backoff has passed, leasing it
    /// for `leaseSeconds` (within `leaseRange`). Expired leases are reaped first. A job whose row
    /// cannot be read is failed for good, with the reason, and the next one is claimed instead.
    func claim(worker: String, leaseSeconds: TimeInterval) async throws -> ClaimedJob?

    /// Extends the lease and records progress; tells the worker to stop if the user canceled.
    func heartbeat(_ claim: ClaimedJob, step: Int, total: Int, leaseSeconds: TimeInterval) async throws -> HeartbeatReply

    /// Stores the images and marks the job `succeeded`, in one transaction. If a cancel arrived
    /// since the last heartbeat, the job ends `canceled` and no image is kept.
    func complete(_ claim: ClaimedJob, images: [RenderedImage], modelID: String, weightsHash: String?,
                  warning: String?) async throws -> CompletionOutcome

    /// Records a failed attempt: back to `queued` after the retry backoff, or `failed` with the
    /// error once `maxAttempts` is used up (or at once when `retryable` is false).
    func fail(_ claim: ClaimedJob, error: String, retryable: Bool) async throws -> FailureOutcome

    /// Gives a job back untouched (a worker shutting down): queued again at once, and the
    /// interrupted attempt does not count.
    func release(_ claim: ClaimedJob) async throws

    /// The worker saw `cancelRequested` and stopped: the job ends `canceled` with no images.
    func acknowledgeCancel(_ claim: ClaimedJob) async throws

    /// Calls `onWork` whenever a job may have become claimable (a submit, a retry) for as long as
    /// the queue is open, so an idle worker claims at once instead of at its next poll. A queue
    /// that cannot tell (SQLite) never calls it; workers poll as well either way.
    func watchForWork(_ onWork: @escaping @Sendable () -> Void)

    // MARK: The user's side

    func status(_ id: String) async throws -> Job

    /// Newest first; `limit` must be positive. With `before` (a job id: the last of the previous
    /// page), only jobs older than that one; a `before` that names no job is `unknownJob`.
    func list(state: JobState?, limit: Int, before: String?) async throws -> [Job]

    /// Jobs that finished (in any end state) after `after`, in the order they finished, at most
    /// `limit`: what the server's metrics have not seen yet.
    func finished(after: Date, limit: Int) async throws -> [Job]

    /// How many distinct workers claimed, or renewed a lease, at `since` or later.
    func workersSeen(since: Date) async throws -> Int

    /// Counts of jobs per state (every state present, zero when empty).
    func counts() async throws -> [JobState: Int]

    /// A queued job is canceled at once; a running one is flagged and ends `canceled` at its
    /// worker's next heartbeat.
    func cancel(_ id: String) async throws -> Job

    /// Puts a failed or canceled job back in the queue with a fresh set of attempts.
    func retry(_ id: String) async throws -> Job

    /// The images of a succeeded job, in index order, each checked against its stored sha256.
    func images(_ id: String) async throws -> [StoredImage]

    /// Deletes finished jobs (and their images) that finished more than `age` seconds ago, and
    /// forgets workers not seen for as long; returns how many jobs were removed.
    func prune(olderThan age: TimeInterval) async throws -> Int

    // MARK: Moving and checking

    /// Up to `limit` whole jobs (every stored field, the images' bytes) after the job `after` in
    /// id order: `queue copy` pages through a queue with it.
    func exportJobs(after: String?, limit: Int) async throws -> [JobSnapshot]

    /// Stores snapshots as they are, in one transaction; an id already present is an
    /// `invalidRequest` and nothing is stored.
    func importJobs(_ jobs: [JobSnapshot]) async throws

    /// Deletes every job and image (`queue copy --replace`); returns how many jobs were removed.
    func deleteAllJobs() async throws -> Int

    /// Every stored image index per job id: lets tests and tools check that no job has images
    /// twice or in part.
    func storedImageIndices() async throws -> [String: [Int]]

    /// Ends the queue's connections and background work; further calls fail.
    func close() async
}

extension JobQueue {
    @discardableResult
    public func complete(_ claim: ClaimedJob, images: [RenderedImage], modelID: String,
                         weightsHash: String?) async throws -> CompletionOutcome {
        try await complete(claim, images: images, modelID: modelID, weightsHash: weightsHash, warning: nil)
    }

    @discardableResult
    public func fail(_ claim: ClaimedJob, error: String) async throws -> FailureOutcome {
        try await fail(claim, error: error, retryable: true)
    }

    public func list(state: JobState? = nil, limit: Int = 50) async throws -> [Job] {
        try await list(state: state, limit: limit, before: nil)
    }
}
