import ArgumentParser
import FaeResources
import Foundation
import JobQueue

/// `bench queue`: submit throughput, then claim+complete throughput with W worker processes
/// sharing one queue (the deployment shape of `workers/pool.sh`), on a new SQLite file and, with
/// `--db postgres://...`, on that PostgreSQL database in the same run.
struct BenchQueueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Submit jobs/s and claim+complete jobs/s with W worker processes, on SQLite and optionally PostgreSQL.",
        discussion: """
            The PostgreSQL database must hold no jobs (e.g. a new database); the benchmark's jobs are \
            deleted afterwards. The worker processes, the server and this process share the machine.
            """)

    static let targetClaimsPerSecond = 1_500.0
    static let targetSubmitsPerSecond = 1_000.0

    @Option(help: "Jobs to submit and process per backend.") var jobs: Int = 5_000
    @Option(help: "Worker processes claiming at once.") var workers: Int = 4
    @Option(help: ArgumentHelp("A PostgreSQL queue to measure beside SQLite.", valueName: "postgres-url")) var db: String?
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        guard (1...1_000_000).contains(jobs) else { throw CLIError("--jobs must be between 1 and 1000000") }
        guard (1...64).contains(workers) else { throw CLIError("--workers must be between 1 and 64") }
        if let db {
            guard case .postgres = try QueueLocation(parsing: db) else {
                throw CLIError("--db must be a postgres:// URL: the SQLite figures always come from a new temporary file")
            }
        }
    }

    struct Result: Encodable {
        let backend: String
        let jobs: Int
        let workers: Int
        let submitJobsPerSecond: Double
        let claimCompleteJobsPerSecond: Double
        let submitTarget: Double
        let claimCompleteTarget: Double
        enum CodingKeys: String, CodingKey {
            case backend, jobs, workers
            case submitJobsPerSecond = "submit_jobs_per_second"
            case claimCompleteJobsPerSecond = "claim_complete_jobs_per_second"
            case submitTarget = "submit_target"
            case claimCompleteTarget = "claim_complete_target"
        }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fae-t2i-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var locations = [QueueLocation.sqlite(path: folder.appendingPathComponent("queue.sqlite").path)]
        if let db { locations.append(try QueueLocation(parsing: db)) }
        var results: [Result] = []
        for location in locations {
            results.append(try await measure(location))
        }
        if json {
            try JSONOutput.print(results)
            return
        }
        print("queue benchmark: \(jobs) jobs, \(workers) worker processes, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        for result in results {
            print("  \(result.backend):")
            print(String(format: "    submit:          %8.0f jobs/s (one process); target %.0f/s, ratio %.2f",
                         result.submitJobsPerSecond, Self.targetSubmitsPerSecond, result.submitJobsPerSecond / Self.targetSubmitsPerSecond))
            print(String(format: "    claim+complete:  %8.0f jobs/s (%d processes); target %.0f/s, ratio %.2f",
                         result.claimCompleteJobsPerSecond, workers, Self.targetClaimsPerSecond,
                         result.claimCompleteJobsPerSecond / Self.targetClaimsPerSecond))
        }
    }

    func measure(_ location: QueueLocation) async throws -> Result {
        let backend: String
        switch location {
        case .sqlite: backend = "SQLite (one file, WAL)"
        case .postgres(let url): backend = "PostgreSQL (\(url.redacted))"
        }
        let migrations = try ResourceLocator.migrationsDirectory()
        let submitRate = try await location.withQueue(.create, migrationsRoot: migrations) { queue in
            let counts = try await queue.counts()
            guard counts.values.reduce(0, +) == 0 else {
                throw CLIError("\(location) already holds jobs; the benchmark needs an empty queue (e.g. a new database)")
            }
            let started = Date()
            for index in 0..<jobs {
                try await queue.submit(JobRequest(prompt: "a red circle in the center #\(index)", seed: Int64(index)))
            }
            return Double(jobs) / Date().timeIntervalSince(started)
        }
        let claimRate = try claimAndComplete(location)
        // Leaves the PostgreSQL database as it was found: every job is finished, so prune takes all.
        try await location.withQueue(.free, migrationsRoot: migrations) { queue in _ = try await queue.prune(olderThan: 0) }
        return Result(backend: backend, jobs: jobs, workers: workers, submitJobsPerSecond: submitRate,
                      claimCompleteJobsPerSecond: claimRate, submitTarget: Self.targetSubmitsPerSecond,
                      claimCompleteTarget: Self.targetClaimsPerSecond)
    }

    /// Runs `workers` bench-claimer processes that open the queue first and then start together,
    /// so process start-up is not timed; jobs/s from the common start to the last one's end.
    func claimAndComplete(_ location: QueueLocation) throws -> Double {
        let startAt = Date().timeIntervalSince1970 + 0.5 + 0.05 * Double(workers)
        let executable = ResourceLocator.executablePath() ?? CommandLine.arguments[0]
        var children: [(Process, Pipe)] = []
        // The URL goes through the environment so that a password in it never shows in `ps`.
        var environment = ProcessInfo.processInfo.environment
        environment["FAE_T2I_BENCH_DB"] = db ?? ""
        let databaseArgument: String
        switch location {
        case .sqlite(let path): databaseArgument = path
        case .postgres: databaseArgument = "env:FAE_T2I_BENCH_DB"
        }
        for index in 0..<workers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["bench-claimer", "--db", databaseArgument, "--start-at", String(startAt), "--name", "bench-\(index)"]
            process.environment = environment
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            children.append((process, pipe))
        }
        var processed = 0
        var lastEnd = startAt
        for (process, pipe) in children {
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0,
                  let report = try? JSONDecoder().decode(BenchClaimerCommand.Report.self, from: output) else {
                throw CLIError("a bench worker process failed (exit status \(process.terminationStatus))")
            }
            processed += report.processed
            lastEnd = max(lastEnd, report.finishedAt)
        }
        guard processed == jobs else { throw CLIError("bench workers processed \(processed) of \(jobs) jobs") }
        return Double(jobs) / (lastEnd - startAt)
    }
}
