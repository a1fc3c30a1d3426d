import Foundation
import Generation
import ImageCodec
import JobQueue
import Logging
import Testing
import TestSupport
import TextToImage
import Worker

/// Records the progress the worker sees, passing it on (the worker heartbeats and cancels through it).
final class RecordingRenderer: ImageRenderer {
    let inner: ImageRenderer
    var steps: [(Int, Int)] = []
    init(_ inner: ImageRenderer) { self.inner = inner }
    var modelID: String { inner.modelID }
    var weightsHash: String? { inner.weightsHash }
    func render(_ parameters: GenerationParameters, progress: (Int, Int) throws -> Void) throws -> RenderedImages {
        try inner.render(parameters) { step, total in
            steps.append((step, total))
            try progress(step, total)
        }
    }
}

@Suite struct ModelRendererWorkerTests {
    @Test func workerRendersAJobWithTheModel() throws {
        let folder = try TinyModelFolder.make()
        let renderer = RecordingRenderer(try ModelImageRenderer(directory: folder))
        let queuePath = try TestPaths.temporaryDirectory("model-worker").appendingPathComponent("queue.sqlite").path
        let queue = try SQLiteJobQueue(path: queuePath,
                                 migrations: Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/sqlite")))
        let job = try queue.submit(JobRequest(prompt: "a red circle above a blue square", negativePrompt: "a green cross",
                                              seed: 40, count: 2, steps: 4, guidance: 2, sampler: .heun)).job
        var configuration = WorkerConfiguration(name: "test-model-worker")
        configuration.exitWhenIdle = true
        configuration.pollSeconds = 0.05
        try QueueWorker(queue: queue, renderer: renderer, configuration: configuration, logger: Logger(label: "test")).run()

        let done = try queue.status(job.id)
        #expect(done.state == .succeeded, "\(done.error ?? "")")
        #expect(done.modelID == "fae-t2i:\(folder.lastPathComponent)")
        #expect(done.weightsHash?.count == 16 && done.weightsHash == renderer.weightsHash)
        #expect(done.progressStep == 4 && done.progressTotal == 4)
        #expect(done.warning == nil)
        #expect(renderer.steps.map(\.0) == [1, 2, 3, 4] && renderer.steps.allSatisfy { $0.1 == 4 })
        let images = try queue.images(job.id)
        #expect(images.map(\.info.seed) == [40, 41])
        // The stored JPEGs are the pipeline's images for those seeds.
        let pipeline = try TextToImagePipeline(directory: folder)
        let expected = try pipeline.generate(prompts: ["a red circle above a blue square"], negativePrompts: ["a green cross"],
                                             seeds: [40, 41], configuration: .init(steps: 4, method: .heun, guidanceScale: 2))
        for (stored, image) in zip(images, expected) {
            let decoded = try JPEG.decode(stored.jpeg)
            let psnr = try image.psnr(to: decoded)
            #expect(decoded.width == 64 && psnr > 20)
        }
    }

    @Test func workerRendersAJobWithANormalizingFlow() throws {
        let folder = try TinyModelFolder.make(family: .flow)
        let renderer = RecordingRenderer(try ModelImageRenderer(directory: folder))
        let queuePath = try TestPaths.temporaryDirectory("flow-worker").appendingPathComponent("queue.sqlite").path
        let queue = try SQLiteJobQueue(path: queuePath,
                                       migrations: Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/sqlite")))
        let job = try queue.submit(JobRequest(prompt: "a red circle above a blue square", seed: 40, count: 2, guidance: 2)).job
        var configuration = WorkerConfiguration(name: "test-flow-worker")
        configuration.exitWhenIdle = true
        configuration.pollSeconds = 0.05
        try QueueWorker(queue: queue, renderer: renderer, configuration: configuration, logger: Logger(label: "test")).run()
        let done = try queue.status(job.id)
        #expect(done.state == .succeeded, "\(done.error ?? "")")
        // Progress is the flow's tokens x blocks and the denoising step, not sampler steps.
        #expect(done.progressStep == 129 && done.progressTotal == 129)
        let images = try queue.images(job.id)
        let expected = try TextToImagePipeline(directory: folder).generate(prompts: ["a red circle above a blue square"], seeds: [40, 41],
                                                                             configuration: .init(guidanceScale: 2))
        for (stored, image) in zip(images, expected) { #expect(try image.psnr(to: try JPEG.decode(stored.jpeg)) > 20) }
    }

    /// The worker cannot refuse a prompt longer than the model reads (another model may read it all),
    /// so it renders the start and keeps a warning with the job.
    @Test func aPromptLongerThanTheModelReadsSucceedsWithAWarning() throws {
        let folder = try TinyModelFolder.make()
        let queuePath = try TestPaths.temporaryDirectory("model-worker-long").appendingPathComponent("queue.sqlite").path
        let queue = try SQLiteJobQueue(path: queuePath,
                                 migrations: Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/sqlite")))
        let long = "a picture of a small pink cross to the left of a large cyan circle on a black background"
        let job = try queue.submit(JobRequest(prompt: long, seed: 1, steps: 2)).job
        var configuration = WorkerConfiguration(name: "test-long-prompt")
        configuration.exitWhenIdle = true
        configuration.pollSeconds = 0.05
        try QueueWorker(queue: queue, renderer: try ModelImageRenderer(directory: folder), configuration: configuration,
                    logger: Logger(label: "test")).run()
        let done = try queue.status(job.id)
        #expect(done.state == .succeeded, "\(done.error ?? "")")
        let pipeline = try TextToImagePipeline(directory: folder)
        // Counted here with the tokenizer; the worker's warning came from the render's own tokenization.
        let beyond = pipeline.tokenizer.encode(long).count + (pipeline.tokenizer.eosID == nil ? 0 : 1) - TinyModelFolder.maxTextTokens
        #expect(beyond > 0)
        #expect(done.warning == "the model reads \(TinyModelFolder.maxTextTokens) text tokens; the last \(beyond) of the prompt are ignored")
        let negative = try pipeline.generate(GenerationParameters(prompt: "a red circle", negativePrompt: long, seeds: [1], steps: 1))
        #expect(negative.negativePromptTokensCut == beyond && negative.promptTokensCut == 0)
        #expect(negative.truncationWarning?.hasSuffix("the last \(beyond) of the negative prompt are ignored") == true)
        let both = try pipeline.generate(GenerationParameters(prompt: long, negativePrompt: long, seeds: [1], steps: 1))
        #expect(both.truncationWarning == "the model reads \(TinyModelFolder.maxTextTokens) text tokens; the last \(beyond) of the prompt are ignored, the last \(beyond) of the negative prompt are ignored")
        #expect(try pipeline.generate(GenerationParameters(prompt: "a red circle", seeds: [1], steps: 1)).truncationWarning == nil)
    }

    /// The renderer's result is the pipeline's for the same parameters, with its warning.
    @Test func rendererPassesTheParametersToThePipeline() throws {
        let folder = try TinyModelFolder.make()
        let renderer = try ModelImageRenderer(directory: folder)
        let parameters = GenerationParameters(prompt: "a red circle", negativePrompt: "a green cross", seeds: [3, 4], steps: 2,
                                              guidance: 2, sampler: .heun)
        let rendered = try renderer.render(parameters) { _, _ in }
        let expected = try renderer.pipeline.generate(prompts: ["a red circle"], negativePrompts: ["a green cross"], seeds: [3, 4],
                                                      configuration: .init(steps: 2, method: .heun, guidanceScale: 2))
        // Within one byte, as a batch and its singles agree: tests running alongside change the
        // engine's thread count and with it the order of float sums.
        #expect(rendered.images.count == 2 && rendered.warning == nil)
        for (image, reference) in zip(rendered.images, expected) { #expect(PipelineTests.maxByteDifference(image, reference) <= 1) }
    }

    @Test func cancelAtAHeartbeatStopsTheRender() throws {
        let renderer = try ModelImageRenderer(directory: try TinyModelFolder.make())
        var seen = 0
        #expect(throws: WorkerError.canceled) {
            try renderer.render(GenerationParameters(prompt: "a red circle", seeds: [1, 2], steps: 20)) { step, _ in
                seen = step
                if step == 3 { throw WorkerError.canceled }
            }
        }
        #expect(seen == 3)
    }
}
