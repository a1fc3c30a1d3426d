/// Copies every job, with its state, lease and images, from one queue to another: how a user
/// moves from the SQLite file to PostgreSQL (and back).
///
/// Page by page, each page one transaction in the target, so memory stays bounded by one page of
/// images. Copy with the workers stopped: a job a worker finishes during the copy may be copied
/// as it was before.
public struct QueueCopy {
    public let source: any JobQueue
    public let target: any JobQueue
    /// Jobs per page (and per target transaction).
    public var pageSize = 100

    public init(from source: any JobQueue, to target: any JobQueue) {
        self.source = source
        self.target = target
    }

    public struct Report: Sendable, Equatable {
        public var jobs = 0
        public var images = 0
        public var replaced = 0
    }

    /// Refuses a target that holds jobs unless `replace`, which deletes them first. Calls
    /// `progress` after each page with the counts so far.
    public func run(replace: Bool, progress: (Report) -> Void = { _ in }) async throws -> Report {
        var report = Report()
        let present = try await target.counts().values.reduce(0, +)
        if present > 0 {
            guard replace else {
                throw QueueError(.invalidRequest,
                    "\(target.location) already holds \(present) jobs; pass --replace to delete them and copy anyway")
            }
            report.replaced = try await target.deleteAllJobs()
        }
        var after: String?
        while true {
            let page = try await source.exportJobs(after: after, limit: pageSize)
            guard let last = page.last else { break }
            try await target.importJobs(page)
            report.jobs += page.count
            report.images += page.reduce(0) { $0 + $1.images.count }
            after = last.job.id
            progress(report)
        }
        return report
    }
}
