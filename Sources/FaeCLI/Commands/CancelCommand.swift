import ArgumentParser
import JobQueue

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a job: at once if queued, at its next heartbeat if running.")

    @OptionGroup var target: JobArgument
    @OptionGroup var queueOptions: QueueOptions

    func run() throws {
        let job = target.job
        let canceled = try queueOptions.withQueue(.free) { try $0.cancel(job) }
        if queueOptions.json {
            try JSONOutput.print(canceled)
        } else {
            print(canceled.state == .canceled ? "\(job): canceled" : "\(job): cancel requested; stops at its next heartbeat")
        }
    }
}
