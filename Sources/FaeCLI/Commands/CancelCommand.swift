import ArgumentParser
import JobQueue

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Cancel a job: at once if queued, at its next heartbeat if running.")

    @Argument(help: "Job id.") var job: String
    @OptionGroup var queueOptions: QueueOptions

    func validate() throws {
        do { _ = try JobID.validate(job) } catch let error as QueueError { throw CLIError(error.message) }
    }

    func run() throws {
        let canceled = try queueOptions.openQueue().cancel(job)
        if queueOptions.json {
            try JSONOutput.print(canceled)
        } else {
            print(canceled.state == .canceled ? "\(job): canceled" : "\(job): cancel requested; stops at its next heartbeat")
        }
    }
}
