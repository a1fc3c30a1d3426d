import ArgumentParser
import JobQueue

struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a job: at once if queued, at its next heartbeat if running.")

    @OptionGroup var target: JobArgument
    @OptionGroup var queueOptions: QueueOptions

    func run() async throws {
        let job = target.job
        let canceled = try await queueOptions.withQueue(.free) { try await $0.cancel(job) }
        if queueOptions.json {
            try JSONOutput.print(canceled)
        } else {
            print(canceled.state == .canceled ? "\(job): canceled" : "\(job): cancel requested; stops at its next heartbeat")
        }
    }
}
