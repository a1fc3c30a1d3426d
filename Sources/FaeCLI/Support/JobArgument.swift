import ArgumentParser
import JobQueue

/// The `JOB` argument of status, cancel, retry and fetch, checked before anything opens the queue.
struct JobArgument: ParsableArguments {
    @Argument(help: "Job id (16 hex digits, as printed by submit).")
    var job: String

    func validate() throws {
        do { _ = try JobID.validate(job) } catch let error as QueueError { throw CLIError(error.message, cause: error) }
    }
}
