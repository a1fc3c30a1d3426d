import ArgumentParser
import FaeResources
import Foundation
import JobQueue

/// `bench queue`: submit throughput, then claim+complete throughput with W worker processes
/// sharing one database file (the deployment shape of `workers/pool.sh`).
struct BenchQueueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue", abstract: "Submit jobs/s and claim+complete jobs/s with W worker processes on one database.")

    static let targetClaimsPerSecond = 1_000.0

    @Option(help: "Jobs to submit and process.") var jobs: Int = 5_000
    @Option(help: "Worker processes claiming at once.") var workers: Int = 4
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        guard (1...1_000_000).contains(jobs) else { throw CLIError("--jobs must be between 1 and 1000000") }
        guard (1...64).contains(workers) else { throw CLIError("--workers must be between 1 and 64") }
    }

    struct Result: Encodable {
        let jobs: Int
        let workers: Int
        let submitJobsPerSecond: Double
        let claimCompleteJobsPerSecond: Double
        let target: Double
        let ratioToTarget: Double
        enum CodingKeys: String, CodingKey {
            case jobs, workers, target
            case submitJobsPerSecond = "submit_jobs_per_second"
            case claimCompleteJobsPerSecond = "claim_complete_jobs_per_second"
            case ratioToTarget = "ratio_to_target"
        }
    }

    func run() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fae-t2i-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("queue.sqlite").path
        let queue = try JobQueue(path: path, migrations: Migration.load(from: ResourceLocator.migrationsDirectory()))

        let submitStart = Date()
        for index in 0..<jobs {
            try queue.submit(JobRequest(prompt: "a red circle in the center #\(index)", seed: Int64(index)))
        }
        let submitRate = Double(jobs) / Date().timeIntervalSince(submitStart)

        // Children open the database first, then start together so process start-up is not timed.
        let startAt = Date().timeIntervalSince1970 + 0.5 + 0.05 * Double(workers)
        let executable = ResourceLocator.executablePath() ?? CommandLine.arguments[0]
        var children: [(Process, Pipe)] = []
        for index in 0..<workers {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["bench-claimer", "--db", path, "--start-at", String(startAt), "--name", "bench-\(index)"]
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
        let claimRate = Double(jobs) / (lastEnd - startAt)
        let result = Result(jobs: jobs, workers: workers, submitJobsPerSecond: submitRate, claimCompleteJobsPerSecond: claimRate,
                            target: Self.targetClaimsPerSecond, ratioToTarget: claimRate / Self.targetClaimsPerSecond)
        if json {
            try JSONOutput.print(result)
        } else {
            print("queue benchmark: \(jobs) jobs, \(workers) worker processes, one SQLite database (WAL)")
            print(String(format: "  submit:          %8.0f jobs/s (one process)", submitRate))
            print(String(format: "  claim+complete:  %8.0f jobs/s (%d processes); target %.0f/s, ratio %.2f",
                         claimRate, workers, Self.targetClaimsPerSecond, claimRate / Self.targetClaimsPerSecond))
        }
    }
}
