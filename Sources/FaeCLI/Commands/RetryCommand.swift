import ArgumentParser
import JobQueue

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Put a failed or canceled job back in the queue.")

    @OptionGroup var target: JobArgument
    @OptionGroup var queueOptions: QueueOptions

    func run() async throws {
        let job = target.job
        let retried = try await queueOptions.withQueue(.write) { try await $0.retry(job) }
        if queueOptions.json { try JSONOutput.print(retried) } else { print("\(job): queued") }
    }
}
