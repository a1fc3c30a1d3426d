import Foundation
import ImageCodec
import Models
import Sampler
import Testing
import TestSupport
import TextToImage

/// The pipeline over a model folder whose generator is a normalizing flow (random weights).
@Suite struct FlowPipelineTests {
    static let guided = FlowSamplerConfiguration(guidanceScale: 2)

    @Test func theFolderSaysItIsAFlowAndSeedsPromptsAndGuidanceMatter() throws {
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make(family: .flow))
        #expect(pipeline.family == .flow && pipeline.generator is TransformerFlow)
        let a = try pipeline.generate(prompts: ["a red circle"], seeds: [7], configuration: Self.guided)
        #expect(a.count == 1 && a[0].width == 64)
        #expect(try pipeline.generate(prompts: ["a red circle"], seeds: [7], configuration: Self.guided) == a)
        #expect(try pipeline.generate(prompts: ["a red circle"], seeds: [8], configuration: Self.guided) != a)
        #expect(try pipeline.generate(prompts: ["a blue square"], seeds: [7], configuration: Self.guided) != a)
        #expect(try pipeline.generate(prompts: ["a red circle"], seeds: [7], configuration: FlowSamplerConfiguration(guidanceScale: 1)) != a)
    }

    @Test func theTemperatureScalesTheNoiseAndTheModelFolderSetsItsDefault() throws {
        let folder = try TinyModelFolder.make(family: .flow)
        let pipeline = try TextToImagePipeline(directory: folder)
        func render(_ p: TextToImagePipeline, _ temperature: Double?) throws -> [RGBImage] {
            try p.generate(prompts: ["a red circle"], seeds: [7],
                           configuration: FlowSamplerConfiguration(guidanceScale: 2, temperature: temperature))
        }
        let plain = try render(pipeline, nil), cool = try render(pipeline, 0.5)
        #expect(try render(pipeline, 1) == plain)
        #expect(cool != plain)
        // generation.json's temperature is the default; a request's own still wins.
        let generator = folder.appendingPathComponent(ModelLayout.generatorFolder)
        var settings = try GenerationSettings.load(directory: generator)
        settings.temperature = 0.5
        try settings.save(directory: generator)
        let tuned = try TextToImagePipeline(directory: folder)
        #expect(try render(tuned, nil) == cool)
        #expect(try render(tuned, 1) == plain)
        #expect(throws: TextToImageError.self) { _ = try render(pipeline, 0) }
        settings.temperature = 3
        try settings.save(directory: generator)
        #expect(throws: TextToImageError.self) { _ = try TextToImagePipeline(directory: folder) }
    }

    @Test func aBatchEqualsItsSingles() throws {
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make(family: .flow))
        let prompts = ["a red circle", "two blue squares", "a green triangle to the left of a yellow diamond"]
        let seeds: [UInt64] = [11, 12, 13]
        let batch = try pipeline.generate(prompts: prompts, seeds: seeds, configuration: Self.guided)
        for (index, image) in batch.enumerated() {
            let single = try pipeline.generate(prompts: [prompts[index]], seeds: [seeds[index]], configuration: Self.guided)[0]
            #expect(PipelineTests.maxByteDifference(image, single) <= 1)
        }
    }

    @Test func progressCountsTokensTimesBlocksThenTheDenoisingStepAndCanStop() throws {
        struct Stop: Error {}
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make(family: .flow))
        var calls: [(Int, Int)] = []
        _ = try pipeline.generate(prompts: ["a red circle"], seeds: [1], configuration: Self.guided) { calls.append(($0, $1)) }
        #expect(calls.map(\.0) == Array(1...129) && calls.allSatisfy { $0.1 == 2 * 64 + 1 })
        var seen = 0
        #expect(throws: Stop.self) {
            _ = try pipeline.generate(prompts: ["a red circle"], seeds: [1], configuration: Self.guided) { step, _ in
                seen = step
                if step == 5 { throw Stop() }
            }
        }
        #expect(seen == 5)
        // Guidance below 1 means nothing to a flow: a clear error.
        #expect(throws: TextToImageError.self) {
            _ = try pipeline.generate(prompts: ["a red circle"], seeds: [1], configuration: FlowSamplerConfiguration(guidanceScale: 0.5))
        }
    }
}

extension ModelCLITests {
    @Test func benchRenderNamesTheFlowFamilyAndItsTargets() throws {
        guard CommandRunner().isAvailable else { return }
        let folder = try TinyModelFolder.make(family: .flow)
        let result = try run(["bench", "render", "--model", folder.path, "--rounds", "1", "--threads", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("normalizing flow, token by token") && result.stdout.contains("(target 0.5 s"), "\(result.stdout)")
        let json = try run(["bench", "render", "--model", folder.path, "--rounds", "1", "--threads", "2", "--json"])
        #expect(json.stdout.contains("\"family\" : \"flow\""), "\(json.stdout)")
    }
}
