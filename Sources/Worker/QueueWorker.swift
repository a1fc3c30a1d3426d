import Foundation
import ImageCodec
import JobQueue
import Logging
import TensorEngine

/// The worker daemon's loop: claim a job, render it with heartbeats, store the images, repeat.
///
/// Runs synchronously on its own thread; `requestStop()` (from a signal handler) makes it stop
/// claiming, give back a job in progress at its next heartbeat, and return.
public final class QueueWorker: @unchecked Sendable {
    public let queue: any JobQueue
    public let renderer: ImageRenderer
    public let configuration: WorkerConfiguration
    let logger: Logger
    let stopSignal = StopSignal()
    public private(set) var processedJobs = 0

    public init(queue: any JobQueue, renderer: ImageRenderer, configuration: WorkerConfiguration, logger: Logger) {
        self.queue = queue
        self.renderer = renderer
        self.configuration = configuration
        self.logger = logger
    }

    public func requestStop() {
        stopSignal.stop()
    }

    /// Processes jobs until stopped, idle (with `exitWhenIdle`) or `maxJobs` is reached. Throws
    /// `WorkerError.queueUnavailable` when the queue fails `queueFailureLimit` times in a row with
    /// an error that waiting cannot cure (a damaged file, a full disk), so that whoever runs the
    /// worker (systemd, `workers/pool.sh`) sees it stop instead of a loop of log lines.
    public func run() throws {
        logger.info("worker started", metadata: ["worker": "\(configuration.name)", "renderer": "\(renderer.modelID)"])
        var failures = QueueFailures(limit: configuration.queueFailureLimit)
        // A submit on a queue that announces them (PostgreSQL) ends the idle sleep at once.
        queue.watchForWork { [stopSignal] in stopSignal.wake() }
        var unavailableDelay = Self.firstUnavailableDelay
        while !stopSignal.isStopped {
            if let maxJobs = configuration.maxJobs, processedJobs >= maxJobs { break }
            do {
                let (queue, name, lease) = (queue, configuration.name, configuration.leaseSeconds)
                let claimed = try withBusyRetry("claim") { try await queue.claim(worker: name, leaseSeconds: lease) }
                unavailableDelay = Self.firstUnavailableDelay
                guard let claim = claimed else {
                    if configuration.exitWhenIdle, try isQueueDrained() { break }
                    stopSignal.sleep(configuration.pollSeconds)
                    continue
                }
                shareCores()
                try process(claim)
                processedJobs += 1
                // Only a job carried to its end shows the queue healthy: on a full disk claims
                // still fit while storing the images does not.
                failures.reset()
            } catch let error as QueueError where error.code == .unavailable {
                // A database server restarting or out of reach: wait for it, longer each time.
                logger.warning("queue unavailable; trying again in \(unavailableDelay)s: \(error)")
                stopSignal.sleep(unavailableDelay)
                unavailableDelay = min(unavailableDelay * 2, Self.lastUnavailableDelay)
            } catch let error as QueueError where error.isTransient {
                // A lock held for long (a big prune, an open sqlite3 shell) delays, it does not break.
                logger.warning("database still busy; trying again in \(configuration.pollSeconds)s: \(error)")
                stopSignal.sleep(configuration.pollSeconds)
            } catch {
                let delay = try failures.record(error)
                logger.error("queue operation failed (\(failures.count)/\(failures.limit)); trying again in \(delay)s: \(error)")
                stopSignal.sleep(delay)
            }
        }
        logger.info("worker stopped", metadata: ["worker": "\(configuration.name)", "jobs": "\(processedJobs)"])
    }

    /// With `hostSlots`, sets the engine's threads to this worker's share of the cores before each job.
    func shareCores() {
        guard let slots = configuration.hostSlots else { return }
        let share = slots.share()
        if share.threads != Engine.threads {
            logger.info("compute share", metadata: ["threads": "\(share.threads)", "workers_on_host": "\(share.liveWorkers)"])
            Engine.threads = share.threads
        }
    }

    /// Nothing queued (even in backoff) and nothing running: no job can appear without a new submit.
    func isQueueDrained() throws -> Bool {
        let queue = self.queue
        let counts = try withBusyRetry("count") { try await queue.counts() }
        return (counts[.queued] ?? 0) == 0 && (counts[.running] ?? 0) == 0
    }

    /// Renders and stores one job. A render failure is recorded on the job; a failure of the
    /// queue itself (storing, heartbeating) gives the job back without counting the attempt and
    /// is thrown, for `run` to count.
    func process(_ claim: ClaimedJob) throws {
        let job = claim.job
        var metadata: Logger.Metadata = ["job": "\(job.id)", "attempt": "\(job.attempts)/\(job.maxAttempts)"]
        logger.info("job claimed", metadata: metadata.merging(["prompt": "\(job.parameters.prompt.prefix(80))"]) { $1 })
        let started = Date()
        do {
            let (images, warning) = try render(claim)
            if let warning { logger.warning("\(warning)", metadata: metadata) }
            let (queue, modelID, weightsHash) = (queue, renderer.modelID, renderer.weightsHash)
            let outcome = try withBusyRetry("complete") {
                try await queue.complete(claim, images: images, modelID: modelID, weightsHash: weightsHash, warning: warning)
            }
            metadata["seconds"] = "\(String(format: "%.3f", Date().timeIntervalSince(started)))"
            switch outcome {
            case .succeeded: logger.info("job succeeded", metadata: metadata)
            case .canceled: logger.info("job canceled", metadata: metadata)
            }
        } catch WorkerError.canceled {
            settle("acknowledge cancel", metadata) { [queue] in try await queue.acknowledgeCancel(claim) }
            logger.info("job canceled", metadata: metadata)
        } catch WorkerError.shuttingDown {
            settle("release", metadata) { [queue] in try await queue.release(claim) }
            logger.info("job released for shutdown", metadata: metadata)
        } catch let error as QueueError where error.code == .leaseLost {
            logger.warning("lost the lease; another worker owns the job now", metadata: metadata)
        } catch let error as QueueError {
            settle("release", metadata) { [queue] in try await queue.release(claim) }
            logger.error("the queue failed during the job; gave it back", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            throw error
        } catch {
            metadata["error"] = "\(error)"
            // A prompt that cannot render now never will: it fails at once instead of retrying.
            let retryable = !Self.isPermanent(error)
            let (message, logger) = ("\(error)", logger)
            settle("record failure", metadata) { [queue, metadata] in
                switch try await queue.fail(claim, error: message, retryable: retryable) {
                case .retryScheduled(let delay):
                    logger.warning("job attempt failed; retry in \(delay)s", metadata: metadata)
                case .failed:
                    logger.error("job failed", metadata: metadata)
                }
            }
        }
    }

    static let firstUnavailableDelay = 0.1
    static let lastUnavailableDelay = 5.0

    static func isPermanent(_ error: Error) -> Bool {
        switch error {
        case WorkerError.invalidPrompt, WorkerError.invalidRequest, WorkerError.invalidModel: return true
        default: return false
        }
    }

    /// Renders all images as JPEGs with their metadata, heartbeating at least every third of the
    /// lease (and every second, so `status` shows live progress), and at the end; with the
    /// renderer's warning.
    func render(_ claim: ClaimedJob) throws -> (images: [RenderedImage], warning: String?) {
        let job = claim.job
        let seeds = job.parameters.seeds
        var lastBeat = Date()
        let beatInterval = min(configuration.leaseSeconds / 3, 1)
        let rendered = try renderer.render(job.parameters) { step, total in
            if stopSignal.isStopped { throw WorkerError.shuttingDown }
            guard Date().timeIntervalSince(lastBeat) >= beatInterval || step == total else { return }
            lastBeat = Date()
            let (queue, lease) = (queue, configuration.leaseSeconds)
            let reply = try withBusyRetry("heartbeat") {
                try await queue.heartbeat(claim, step: step, total: total, leaseSeconds: lease)
            }
            if reply == .cancelRequested { throw WorkerError.canceled }
        }
        let pictures = rendered.images
        guard pictures.count == seeds.count else {
            throw WorkerError.renderFailed("renderer returned \(pictures.count) images for \(seeds.count) seeds")
        }
        let images = try zip(pictures, seeds).enumerated().map { index, pair in
            let (picture, seed) = pair
            let comment = ImageMetadata(job: job.id, parameters: job.parameters, seed: seed,
                                        model: renderer.modelID, weightsHash: renderer.weightsHash).json()
            let jpeg = try JPEG.encode(picture, quality: configuration.jpegQuality, comment: comment)
            return RenderedImage(index: index, seed: seed, width: picture.width, height: picture.height, jpeg: jpeg)
        }
        return (images, rendered.warning)
    }

    /// Runs a queue call, retrying it while the database is busy or its server out of reach, for
    /// up to `busyRetrySeconds`: a job in progress outlives a database restart.
    func withBusyRetry<T: Sendable>(_ what: String, _ operation: @escaping @Sendable () async throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(configuration.busyRetrySeconds)
        var delay = 0.05
        while true {
            do {
                return try QueueCall.wait(operation)
            } catch let error as QueueError where error.isTransient && Date() < deadline {
                logger.warning("database \(error.code == .busy ? "busy" : "unavailable") during \(what); retrying in \(delay)s: \(error)")
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 2)
            }
        }
    }

    private func settle(_ what: String, _ metadata: Logger.Metadata, _ operation: @escaping @Sendable () async throws -> Void) {
        do {
            try withBusyRetry(what, operation)
        } catch {
            logger.error("could not \(what): \(error)", metadata: metadata)
        }
    }
}
