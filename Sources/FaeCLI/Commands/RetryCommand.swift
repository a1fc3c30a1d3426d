import ArgumentParser
import JobQueue

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Put a failed or canceled job back in the queue.")

    @Argument(help: "Job id.") var job: String
    @OptionGroup var queueOptions: QueueOptions

    func validate() throws {
        do { _ = try JobID.validate(job) } catch let error as QueueError { throw CLIError(error.message) }
    }

    func run() throws {
        let retried = try queueOptions.openQueue().retry(job)
        if queueOptions.json { try JSONOutput.print(retried) } else { print("\(job): queued") }
    }
}
