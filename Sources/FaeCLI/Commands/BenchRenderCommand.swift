import ArgumentParser
import Foundation
import Sampler
import TextToImage

/// `bench render`: the model's speed at the default settings (the diffusion generator: 25 Euler
/// steps with CFG; a normalizing flow: its inverse with CFG and the denoising step): seconds per
/// image alone, and images per second for a batch of 16 prompts; each the best round after a warm-up.
struct BenchRenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Seconds per image (batch 1) and images per second (batch 16) of the model.")

    /// Targets on the 2-core reference machine, by generator family.
    static func targets(_ family: GeneratorFamily) -> (secondsPerImage: Double, imagesPerSecond: Double) {
        family == .flow ? (0.5, 4) : (0.3, 8)
    }
    static let batchPrompts = [
        "a red circle", "a blue square", "a green triangle", "a yellow diamond", "a purple cross", "a large orange square",
        "a small cyan circle", "two pink squares", "a red circle to the left of a blue square", "a green circle above a red cross",
        "three yellow triangles", "a blue diamond on a black background", "a red square and a green circle",
        "a purple circle in the top left", "a pink circle on a gray background", "four orange crosses",
    ]

    @OptionGroup var modelOption: ModelOption
    @Option(help: "Timed rounds after the warm-up; each figure is the best round.") var rounds: Int = 3
    @OptionGroup var threadOption: ThreadOption
    @Flag(help: "Print machine-readable JSON (keys: family, threads, seconds_per_image, images_per_second_batched).") var json = false

    func validate() throws {
        guard (1...100).contains(rounds) else { throw CLIError("--rounds must be between 1 and 100, got \(rounds)") }
    }

    struct Report: Encodable {
        let family: GeneratorFamily
        let threads: Int
        let secondsPerImage, imagesPerSecondBatched: Double
        enum CodingKeys: String, CodingKey {
            case family, threads
            case secondsPerImage = "seconds_per_image", imagesPerSecondBatched = "images_per_second_batched"
        }
    }

    func run() throws {
        let threads = threadOption.apply()
        let directory = try modelOption.completeDirectory(hint: ModelOption.trainHint)
        let pipeline: TextToImagePipeline
        do {
            pipeline = try TextToImagePipeline(directory: directory)
        } catch {
            throw CLIError("cannot load the model at \(directory.path): \(error)", cause: error)
        }
        let configuration = FlowSamplerConfiguration()
        func best(prompts: [String]) throws -> Double {
            let seeds = prompts.indices.map { UInt64($0) }
            return try BestRound.seconds(rounds: rounds) { _ = try pipeline.generate(prompts: prompts, seeds: seeds, configuration: configuration) }
        }
        let single = try best(prompts: [Self.batchPrompts[8]])
        let batched = Double(Self.batchPrompts.count) / (try best(prompts: Self.batchPrompts))
        let report = Report(family: pipeline.family, threads: threads, secondsPerImage: single, imagesPerSecondBatched: batched)
        if json {
            try JSONOutput.print(report)
            return
        }
        let t = Self.targets(pipeline.family)
        let sampling = pipeline.family == .flow ? "normalizing flow, token by token" : "\(configuration.steps) \(configuration.method.rawValue) steps"
        print("render benchmark, \(directory.lastPathComponent), \(threads) threads, \(sampling), CFG \(configuration.guidanceScale), best of \(rounds) rounds")
        print(String(format: "  batch 1:  %.3f s per image (target %.1f s: ratio %.2f)", single, t.secondsPerImage, single / t.secondsPerImage))
        print(String(format: "  batch %d: %.2f images/s (target %.0f: ratio %.2f)", Self.batchPrompts.count, batched, t.imagesPerSecond,
                     batched / t.imagesPerSecond))
    }
}
