/// A whole stored job, as `queue copy` moves it between databases: every field, the lease, the
/// request digest and the images' bytes.
public struct JobSnapshot: Sendable, Equatable {
    public var job: Job
    /// The sha256 of the submitted fields (`JobRequest.digest`); nil on jobs stored before digests.
    public var requestDigest: String?
    /// The current lease's token while the job is running.
    public var leaseToken: String?
    public var images: [StoredImage]

    public init(job: Job, requestDigest: String?, leaseToken: String?, images: [StoredImage]) {
        self.job = job
        self.requestDigest = requestDigest
        self.leaseToken = leaseToken
        self.images = images
    }
}
