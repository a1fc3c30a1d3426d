import ArgumentParser
import Foundation
import Generation
import JobQueue

struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "submit", abstract: "Queue a prompt; prints the job id.")

    @Argument(help: "What to draw, e.g. \"a red circle to the left of a blue square\".")
    var prompt: String

    @Option(help: "What to steer away from (the unconditional branch of guidance).")
    var negative: String = ""

    // Numbers take the next argument whatever it looks like, so `--priority -5` is a value, not a flag.
    @Option(parsing: .unconditional, help: "Seed of the first image; image i uses seed + i (default: random, always stored).")
    var seed: Int64?

    @Option(parsing: .unconditional, help: "Number of images (\(GenerationParameters.countRange.lowerBound)-\(GenerationParameters.countRange.upperBound)).")
    var count: Int = 1

    @Option(parsing: .unconditional, help: "Sampling steps (\(GenerationParameters.stepsRange.lowerBound)-\(GenerationParameters.stepsRange.upperBound)).")
    var steps: Int = GenerationParameters.defaultSteps

    @Option(parsing: .unconditional, help: "Classifier-free guidance weight (\(Int(GenerationParameters.guidanceRange.lowerBound))-\(Int(GenerationParameters.guidanceRange.upperBound))).")
    var guidance: Double = GenerationParameters.defaultGuidance

    @Option(help: "ODE sampler: \(SamplerMethod.names).")
    var sampler: String = SamplerMethod.euler.rawValue

    @Option(parsing: .unconditional, help: "Higher runs first (-1000...1000).")
    var priority: Int = 0

    @Option(help: "Idempotency key: a second submit with the same key and parameters returns the first job; other parameters are refused.")
    var key: String?

    @Option(name: .customLong("max-attempts"), parsing: .unconditional, help: "Attempts before the job fails (1-100).")
    var maxAttempts: Int = 3

    @Flag(help: "Show progress and return when the job ends (exit status 1 unless it succeeded).")
    var wait = false

    @OptionGroup var queueOptions: QueueOptions

    /// The request as typed, validated; without `--seed` its seeds are drawn here.
    func request() throws -> JobRequest {
        let submission = JobSubmission(prompt: prompt, negativePrompt: negative, seed: seed, count: count, steps: steps,
                                       guidance: guidance, sampler: sampler, priority: priority, maxAttempts: maxAttempts, key: key)
        do {
            return try submission.request()
        } catch let error as QueueError {
            throw CLIError(error.message, cause: error)
        }
    }

    func run() async throws {
        // Validated before the queue is opened, so a bad request never creates a database.
        let request = try request()
        let job = try await queueOptions.withQueue(.create) { queue -> Job? in
            let result = try await queue.submit(request)
            if !wait {
                if queueOptions.json {
                    try JSONOutput.print(["id": result.job.id, "state": result.job.state.rawValue])
                } else {
                    print(result.job.id)
                }
                return nil
            }
            if !queueOptions.json { print(result.job.id) }
            return try await JobWaiter(queue: queue, showProgress: !queueOptions.json).wait(for: result.job.id)
        }
        guard let job else { return }
        if queueOptions.json {
            try JSONOutput.print(job)
        } else {
            print(JobText.detail(job))
        }
        if job.state != .succeeded { throw ExitCode.failure }
    }
}
