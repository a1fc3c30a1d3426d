import ArgumentParser
import Foundation
import JobQueue
import Logging
import ServiceLifecycle
import TensorEngine
import Worker

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run a worker daemon: claim jobs, render them, store the images.",
        discussion: "SIGTERM or SIGINT stops it gracefully: it stops claiming, gives back a job in progress and exits 0.")

    @Option(help: "Renderer: \(RendererKind.allCases.map(\.rawValue).joined(separator: ", ")) (model: the --model folder).")
    var renderer: RendererKind = .model
    @OptionGroup var modelOption: ModelOption
    @OptionGroup var threadOption: ThreadOption

    @Option(help: "Lease length in seconds (1 to 86400); heartbeats renew it.")
    var lease: Double = 30

    @Option(help: "Seconds between claims when the queue is empty.")
    var poll: Double = 1

    @Option(name: .customLong("max-jobs"), help: "Exit after this many jobs.")
    var maxJobs: Int?

    @Flag(name: .customLong("exit-when-idle"), help: "Exit once no job is queued or running.")
    var exitWhenIdle = false

    @Option(help: "Worker name recorded on jobs (default: host-pid).")
    var name: String?

    /// Test hook: makes every render take this long, so crash tests can kill workers mid-job.
    @Option(name: .customLong("simulate-render-ms"), help: .hidden)
    var simulateRenderMilliseconds: Int = 0

    @OptionGroup var queueOptions: QueueOptions

    func validate() throws {
        guard lease.isFinite, JobLease.range.contains(lease) else {
            throw CLIError("--lease must be between \(Int(JobLease.range.lowerBound)) and \(Int(JobLease.range.upperBound)) seconds, got \(lease)")
        }
        guard poll.isFinite, poll > 0, poll <= 3_600 else { throw CLIError("--poll must be between 0 and 3600 seconds, got \(poll)") }
        if let maxJobs, maxJobs < 1 { throw CLIError("--max-jobs must be at least 1, got \(maxJobs)") }
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty { throw CLIError("--name must not be empty") }
        guard (0...3_600_000).contains(simulateRenderMilliseconds) else {
            throw CLIError("--simulate-render-ms must be between 0 and 3600000")
        }
    }

    func run() async throws {
        let json = queueOptions.json
        LoggingSystem.bootstrap { label in
            json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label) as LogHandler
        }
        let logger = Logger(label: "fae-t2i.worker")
        let queue: any JobQueue
        do {
            queue = try await queueOptions.openQueue(.create)
        } catch let error as QueueError where !error.isTransient {
            FileHandle.standardError.write(Data("Error: queue unavailable: \(error)\n".utf8))
            throw ExitCode(Self.queueUnavailableStatus)
        }
        var configuration = WorkerConfiguration(name: name ?? WorkerConfiguration.defaultName())
        configuration.leaseSeconds = lease
        configuration.pollSeconds = poll
        configuration.maxJobs = maxJobs
        configuration.exitWhenIdle = exitWhenIdle
        // Without a thread setting, workers on one host split its cores: each that spins on all of
        // them makes the others wait (three such workers were 18 times slower than one).
        if threadOption.isSet {
            threadOption.apply()
        } else {
            do {
                let slots = try HostWorkerSlots()
                configuration.hostSlots = slots
                Engine.threads = slots.threadShare()
            } catch {
                logger.warning("cannot count this host's workers, so taking every core: \(error)")
                threadOption.apply()
            }
        }
        // OpenBLAS's kernels decide the render speed (generic ones are 5.5x slower): say which run.
        logger.info("compute", metadata: ["threads": "\(Engine.threads)", "blas_core": "\(Engine.blasCoreName)",
                                          "share": "\(configuration.hostSlots == nil ? "fixed" : "host")"])
        var imageRenderer = try renderer.make(model: modelOption)
        if simulateRenderMilliseconds > 0 {
            imageRenderer = SlowRenderer(wrapping: imageRenderer, milliseconds: simulateRenderMilliseconds)
        }
        let worker = QueueWorker(queue: queue, renderer: imageRenderer, configuration: configuration, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: WorkerService(worker: worker), successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        do {
            try await group.run()
            await queue.close()
        } catch let error as WorkerError {
            await queue.close()
            // A distinct status lets systemd (RestartPreventExitStatus) and pool.sh stop restarting.
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(Self.queueUnavailableStatus)
        }
    }

    /// The exit status of a worker that cannot use its queue, at start or after retries (EX_UNAVAILABLE).
    static let queueUnavailableStatus: Int32 = 69
}
