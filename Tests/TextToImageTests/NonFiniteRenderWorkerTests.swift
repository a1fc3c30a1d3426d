import Foundation
import JobQueue
import Logging
import Testing
import TestSupport
import TextToImage
import Worker

@Suite struct NonFiniteRenderWorkerTests {
    /// A model whose output is not finite fails the job on its first attempt with the reason: the
    /// same weights, prompt and seeds would give the same values on every retry.
    @Test func nonFiniteRenderFailsTheJobWithoutRetries() throws {
        let renderer = try ModelImageRenderer(directory: try TinyModelFolder.make())
        let bias = try #require(renderer.pipeline.generator.namedParameters(prefix: "").first { $0.0 == "final_layer.linear.bias" }?.1)
        bias.value.pointer[0] = .infinity
        let path = try TestPaths.temporaryDirectory("nonfinite-worker").appendingPathComponent("queue.sqlite").path
        let queue = try SQLiteJobQueue(path: path, migrations: Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/sqlite")))
        let job = try queue.submit(JobRequest(prompt: "a red circle", seed: 1, steps: 2, maxAttempts: 3)).job
        var configuration = WorkerConfiguration(name: "test-nonfinite")
        configuration.exitWhenIdle = true
        configuration.pollSeconds = 0.05
        try QueueWorker(queue: queue, renderer: renderer, configuration: configuration, logger: Logger(label: "test")).run()
        let done = try queue.status(job.id)
        #expect(done.state == .failed && done.attempts == 1)
        #expect(done.error?.contains("NaN or infinite") == true, "\(done.error ?? "")")
        #expect(done.images.isEmpty)
    }
}
