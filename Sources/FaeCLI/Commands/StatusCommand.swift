import ArgumentParser
import JobQueue

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a job: state, progress, attempts, error, timestamps, parameters, images.")

    @Argument(help: "Job id.") var job: String
    @OptionGroup var queueOptions: QueueOptions

    func validate() throws {
        do { _ = try JobID.validate(job) } catch let error as QueueError { throw CLIError(error.message) }
    }

    func run() throws {
        let status = try queueOptions.openQueue().status(job)
        if queueOptions.json { try JSONOutput.print(status) } else { print(JobText.detail(status)) }
    }
}
