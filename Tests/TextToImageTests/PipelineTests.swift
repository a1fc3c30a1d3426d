import Foundation
import Generation
import Models
import ImageCodec
import Sampler
import TensorEngine
import Testing
import TextToImage
import Tokenizer

@Suite struct PipelineTests {
    static let fast = FlowSamplerConfiguration(steps: 3, method: .euler, guidanceScale: 2, guidanceMaxTime: 0.9)

    @Test func sameSeedSameImageDifferentSeedDifferentImage() throws {
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make())
        let a = try pipeline.generate(prompts: ["a red circle"], seeds: [7], configuration: Self.fast)
        let b = try pipeline.generate(prompts: ["a red circle"], seeds: [7], configuration: Self.fast)
        let c = try pipeline.generate(prompts: ["a red circle"], seeds: [8], configuration: Self.fast)
        #expect(a.count == 1 && a[0].width == 64 && a[0].height == 64)
        #expect(a == b)
        #expect(a != c)
        // A second pipeline from the same folder agrees: nothing depends on state left by earlier calls.
        let again = try TextToImagePipeline(directory: try #require(pipeline.directory))
        #expect(try again.generate(prompts: ["a red circle"], seeds: [7], configuration: Self.fast) == a)
    }

    @Test func promptAndNegativePromptMatter() throws {
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make())
        let base = try pipeline.generate(prompts: ["a red circle"], seeds: [3], configuration: Self.fast)
        #expect(try pipeline.generate(prompts: ["a blue square"], seeds: [3], configuration: Self.fast) != base)
        #expect(try pipeline.generate(prompts: ["a red circle"], negativePrompts: ["a green cross"], seeds: [3],
                                      configuration: Self.fast) != base)
    }

    @Test func batchOfThreeEqualsThreeSingles() throws {
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make())
        let prompts = ["a red circle", "two blue squares", "a green triangle to the left of a yellow diamond"]
        let seeds: [UInt64] = [11, 12, 13]
        for method in SamplerMethod.allCases {
            var configuration = Self.fast
            configuration.method = method
            let batch = try pipeline.generate(prompts: prompts, negativePrompts: [""], seeds: seeds, configuration: configuration)
            let singles = try zip(prompts, seeds).map {
                try pipeline.generate(prompts: [$0.0], seeds: [$0.1], configuration: configuration)[0]
            }
            #expect(batch.count == 3)
            for (x, y) in zip(batch, singles) { #expect(Self.maxByteDifference(x, y) <= 1, "\(method)") }
        }
    }

    @Test func throwingFromProgressStopsBetweenSteps() throws {
        struct Stop: Error {}
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make())
        var calls: [(Int, Int)] = []
        var configuration = Self.fast
        configuration.steps = 10
        #expect(throws: Stop.self) {
            _ = try pipeline.generate(prompts: ["a red circle"], seeds: [1, 2], configuration: configuration) { step, total in
                calls.append((step, total))
                if step == 2 { throw Stop() }
            }
        }
        #expect(calls.map(\.0) == [1, 2] && calls.allSatisfy { $0.1 == 10 })
        // The pipeline still works afterwards.
        #expect(try pipeline.generate(prompts: ["a red circle"], seeds: [1], configuration: Self.fast).count == 1)
    }

    @Test func everyTargetDecodes() throws {
        for target in GenerationSettings.Target.allCases {
            let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make(target: target))
            let images = try pipeline.generate(prompts: ["a red circle"], seeds: [1, 2], configuration: Self.fast)
            #expect(images.count == 2 && images.allSatisfy { $0.width == 64 }, "\(target)")
        }
    }

    /// No seeds and zero steps are a request's to refuse (GenerationTests); texts that do not fit
    /// the batch are the pipeline's.
    @Test func rejectsBadInput() throws {
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make())
        #expect(throws: TextToImageError.self) { try pipeline.generate(prompts: ["a", "b"], seeds: [1, 2, 3]) }
        #expect(throws: TextToImageError.self) { try pipeline.generate(prompts: ["a"], negativePrompts: ["x", "y"], seeds: [1, 2, 3]) }
    }

    /// A request renders as the batch call with its settings and the trained shift.
    @Test func requestEqualsTheBatchCall() throws {
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make())
        let parameters = GenerationParameters(prompt: "a red circle", negativePrompt: "a green cross", seeds: [5, 6], steps: 3,
                                              guidance: 2, sampler: .euler)
        var steps: [Int] = []
        let generated = try pipeline.generate(parameters) { step, _ in steps.append(step) }
        #expect(steps == [1, 2, 3])
        #expect(generated.images == (try pipeline.generate(prompts: ["a red circle"], negativePrompts: ["a green cross"], seeds: [5, 6],
                                                           configuration: Self.fast)))
        #expect(generated.promptTokensCut == 0 && generated.negativePromptTokensCut == 0 && generated.truncationWarning == nil)
    }

    @Test func missingPartsAreNamed() throws {
        let folder = try TinyModelFolder.make()
        try FileManager.default.removeItem(at: folder.appendingPathComponent("generator/model.safetensors"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("pixel_decoder"))
        do {
            _ = try TextToImagePipeline(directory: folder)
            Issue.record("an incomplete folder must not load")
        } catch let error as TextToImageError {
            #expect(error.code == .incompleteModel)
            #expect(error.missing == ["generator/model.safetensors", "pixel_decoder/config.json", "pixel_decoder/model.safetensors"])
            #expect(error.message.contains("generator/model.safetensors"))
        }
        let nowhere = folder.appendingPathComponent("nothing-here")
        #expect(throws: TextToImageError.self) { try TextToImagePipeline(directory: nowhere) }
    }

    @Test func mismatchedPartsAreRejected() throws {
        let folder = try TinyModelFolder.make()
        // Statistics for the wrong number of channels.
        try LatentStatistics(mean: [0], std: [1]).save(directory: folder.appendingPathComponent("generator"))
        #expect { try TextToImagePipeline(directory: folder) } throws: { ($0 as? TextToImageError)?.code == .invalidModel }
    }

    @Test func thePixelDecoderMayHaveItsOwnSizeButNotAnotherFeatureWidth() throws {
        let base = TinyModelFolder.faeConfig()
        var wider = base
        wider.pixelDecoderWidth = 64; wider.pixelDecoderHeads = 4; wider.pixelDecoderMapChannels = 8
        let decoder = try TargetDecoder(target: .latent, featureDecoder: FeatureDecoder(config: base), pixelDecoder: PixelDecoder(config: wider))
        #expect(try decoder.decode(Tensor(zeros: [1, 64, TinyModelFolder.latentChannels])).shape == [1, 3, 64, 64])
        var otherFeatures = base
        otherFeatures.encoderWidth = 48
        #expect { try TargetDecoder(target: .latent, featureDecoder: FeatureDecoder(config: base), pixelDecoder: PixelDecoder(config: otherFeatures)) }
            throws: { ($0 as? TextToImageError)?.code == .invalidModel }
    }

    @Test func pixelTargetUnpatchifiesChannelMajorPatches() throws {
        let decoder = try TargetDecoder(target: .pixels, featureDecoder: nil, pixelDecoder: nil)
        let x = Tensor(zeros: [1, 64, 192])
        // Token (gy 1, gx 2) = 10; channel 1, py 3, px 4 -> value index 1 * 64 + 3 * 8 + 4.
        x.pointer[10 * 192 + 64 + 3 * 8 + 4] = 0.5
        let image = try decoder.decode(x)
        #expect(image.shape == [1, 3, 64, 64])
        #expect(image[0, 1, 8 + 3, 16 + 4] == 0.5)
        #expect(image.values.filter { $0 != 0 }.count == 1)
    }

    static func maxByteDifference(_ a: RGBImage, _ b: RGBImage) -> Int {
        zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }
}

@Suite struct TextInputTests {
    @Test func batchEncoderTruncatesKeepsEOSAndPads() throws {
        let tokenizer = try SentencePieceTokenizer(modelFile: TinyModelFolder.tokenizerURL)
        let eos = try #require(tokenizer.eosID), pad = tokenizer.padID ?? 0
        let encoder = try TextBatchEncoder(tokenizer: tokenizer, maxTokens: 6)
        let long = "a red circle to the left of a blue square on a white background"
        let (ids, mask) = encoder.encode(["", "a red circle", long])
        #expect(ids.count == 18 && mask.count == 18)
        #expect(Array(ids[0..<6]) == [eos] + Array(repeating: pad, count: 5))
        #expect(Array(mask[0..<6]) == [1, 0, 0, 0, 0, 0])
        let short = tokenizer.encode("a red circle") + [eos]
        #expect(Array(ids[6..<(6 + short.count)]) == short)
        #expect(Array(mask[6..<12]) == (0..<6).map { $0 < short.count ? 1 : 0 })
        #expect(Array(ids[12..<18]) == Array(tokenizer.encode(long).prefix(5)) + [eos])
        #expect(Array(mask[12..<18]) == [1, 1, 1, 1, 1, 1])
    }

    @Test func generationSettingsRoundTripWithSnakeCaseKeys() throws {
        let folder = try TinyModelFolder.make()
        let settings = GenerationSettings(target: .features, maxTextTokens: 16, shift: 2.5)
        try settings.save(directory: folder)
        let text = try String(contentsOf: folder.appendingPathComponent(ModelLayout.generationSettingsFile), encoding: .utf8)
        #expect(text.contains("\"max_text_tokens\" : 16") && text.contains("\"target\" : \"features\""))
        #expect(try GenerationSettings.load(directory: folder) == settings)
        #expect(throws: SamplerError.self) { try GenerationSettings.load(directory: folder.appendingPathComponent("none")) }
    }
}
