import ArgumentParser
import JobQueue

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Put a failed or canceled job back in the queue.")

    @OptionGroup var target: JobArgument
    @OptionGroup var queueOptions: QueueOptions

    func run() throws {
        let job = target.job
        let retried = try queueOptions.withQueue(.write) { try $0.retry(job) }
        if queueOptions.json { try JSONOutput.print(retried) } else { print("\(job): queued") }
    }
}
