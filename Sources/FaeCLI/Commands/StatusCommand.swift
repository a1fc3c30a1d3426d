import ArgumentParser
import JobQueue

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a job: state, progress, attempts, error, timestamps, parameters, images.")

    @OptionGroup var target: JobArgument
    @OptionGroup var queueOptions: QueueOptions

    func run() async throws {
        let job = target.job
        let status = try await queueOptions.withQueue(.read) { try await $0.status(job) }
        if queueOptions.json { try JSONOutput.print(status) } else { print(JobText.detail(status)) }
    }
}
