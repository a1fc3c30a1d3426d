import ArgumentParser
import FaeResources
import Foundation
import Generation
import JobQueue

/// `bench workers`: rendered jobs/s with one worker process and with N on this machine, each run
/// on a fresh queue with the same jobs and the workers' default thread settings (no `--threads`,
/// no `$FAE_T2I_THREADS`), as `workers/pool.sh N` starts them.
struct BenchWorkersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers",
        abstract: "Rendered jobs/s with 1 and with N worker processes on this machine, and their ratio (target: at least 1).")

    @Option(help: "Worker processes in the second run.") var workers: Int = 3
    @Option(help: "Jobs to render in each run.") var jobs: Int = 24
    @Option(help: "Images per job.") var count: Int = 2
    @Option(help: "Renderer: \(RendererKind.allCases.map(\.rawValue).joined(separator: ", ")).") var renderer: RendererKind = .model
    @OptionGroup var modelOption: ModelOption
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        guard (2...64).contains(workers) else { throw CLIError("--workers must be between 2 and 64, got \(workers)") }
        guard (1...10_000).contains(jobs) else { throw CLIError("--jobs must be between 1 and 10000, got \(jobs)") }
        guard GenerationParameters.countRange.contains(count) else { throw CLIError("--count must be between 1 and 16, got \(count)") }
    }

    struct Run: Encodable {
        let workers: Int
        let seconds: Double
        let jobsPerSecond: Double
        enum CodingKeys: String, CodingKey {
            case workers, seconds
            case jobsPerSecond = "jobs_per_second"
        }
    }

    struct Report: Encodable {
        let jobs: Int
        let imagesPerJob: Int
        let renderer: String
        let single: Run
        let several: Run
        let ratio: Double
        enum CodingKeys: String, CodingKey {
            case jobs, renderer, single, several, ratio
            case imagesPerJob = "images_per_job"
        }
    }

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fae-t2i-bench-workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let single = try measure(workers: 1, folder: folder)
        let several = try measure(workers: workers, folder: folder)
        let report = Report(jobs: jobs, imagesPerJob: count, renderer: renderer.rawValue, single: single, several: several,
                            ratio: several.jobsPerSecond / single.jobsPerSecond)
        if json {
            try JSONOutput.print(report)
            return
        }
        print("workers benchmark: \(jobs) jobs of \(count) images, renderer \(renderer.rawValue), default thread settings, "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        for run in [single, several] {
            print(String(format: "  %2d worker%@  %7.2f s  %6.2f jobs/s", run.workers, run.workers == 1 ? " " : "s",
                         run.seconds, run.jobsPerSecond))
        }
        print(String(format: "  ratio %d workers / 1 worker: %.2f (target: at least 1)", workers, report.ratio))
    }

    /// Submits the jobs to a new queue, starts `workers` worker processes that exit when the
    /// queue is drained, and times them from start to the last exit (model loading included).
    func measure(workers: Int, folder: URL) throws -> Run {
        let path = folder.appendingPathComponent("queue-\(workers).sqlite").path
        let queue = try SQLiteJobQueue(path: path, migrations: Migration.load(from: ResourceLocator.migrationsDirectory().appendingPathComponent("sqlite")))
        let prompts = ["a red circle to the left of a blue square", "two green triangles", "a large yellow diamond",
                       "a purple cross above an orange square"]
        for index in 0..<jobs {
            try queue.submit(JobRequest(prompt: prompts[index % prompts.count], seed: Int64(index * count), count: count))
        }
        let executable = ResourceLocator.executablePath() ?? CommandLine.arguments[0]
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "FAE_T2I_THREADS")
        var arguments = ["worker", "--db", path, "--exit-when-idle", "--poll", "0.05", "--renderer", renderer.rawValue]
        if let model = modelOption.model { arguments += ["--model", model] }
        let started = Date()
        let children = try (0..<workers).map { index -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments + ["--name", "bench-\(index)"]
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in children { process.waitUntilExit() }
        let seconds = Date().timeIntervalSince(started)
        if let failed = children.first(where: { $0.terminationStatus != 0 }) {
            throw CLIError("a worker exited with status \(failed.terminationStatus); run `fae-t2i worker` by hand to see why")
        }
        let succeeded = try queue.counts()[.succeeded] ?? 0
        guard succeeded == jobs else { throw CLIError("\(succeeded) of \(jobs) jobs succeeded with \(workers) workers") }
        return Run(workers: workers, seconds: seconds, jobsPerSecond: Double(jobs) / seconds)
    }
}
