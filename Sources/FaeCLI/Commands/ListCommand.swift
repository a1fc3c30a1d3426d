import ArgumentParser
import JobQueue

extension JobState: ExpressibleByArgument {}

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List jobs, newest first.")

    @Option(help: "Only jobs in this state: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).")
    var state: JobState?

    @Option(help: "At most this many jobs.")
    var limit: Int = 50

    @OptionGroup var queueOptions: QueueOptions

    func validate() throws {
        guard limit >= 1 else { throw CLIError("--limit must be at least 1, got \(limit)") }
    }

    func run() async throws {
        let jobs = try await queueOptions.withQueue(.read) { try await $0.list(state: state, limit: limit) }
        if queueOptions.json {
            try JSONOutput.print(jobs)
        } else if jobs.isEmpty {
            print("no jobs")
        } else {
            jobs.forEach { print(JobText.row($0)) }
        }
    }
}
