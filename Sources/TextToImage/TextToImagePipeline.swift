import Foundation
import ImageCodec
import Models
import Sampler
import TensorEngine
import Tokenizer

/// Text -> images with a trained model folder (docs/model-layout.md): prompts are tokenised
/// (`TextBatchEncoder`), encoded by the T5 text encoder, the generator samples a latent (the MMDiT
/// integrated by the flow sampler, or the normalizing flow inverted token by token; conditional and
/// unconditional branches in one batch), the result is mapped back
/// from standardised latents with the stored statistics and decoded to 64x64 RGB images.
///
/// Image i depends only on its prompt, negative prompt and seed: it comes out the same alone or in
/// a batch. Buffers are reused from call to call; one pipeline serves one thread at a time.
public final class TextToImagePipeline {
    /// The model folder it was loaded from (nil when built from parts).
    public let directory: URL?
    public let tokenizer: SentencePieceTokenizer
    public let textBatchEncoder: TextBatchEncoder
    public let textEncoder: T5Encoder
    /// The generator: the flow-matching `MMDiT` or the normalizing flow `TransformerFlow`.
    public let generator: any Module
    public let family: GeneratorFamily
    public let statistics: LatentStatistics
    public let settings: GenerationSettings
    public let decoder: TargetDecoder
    let sampler: LatentSampler
    private let promptMaskSlot = TensorSlot(), negativeMaskSlot = TensorSlot()

    /// Assembles a pipeline around a flow-matching MMDiT; throws `invalidModel` when the parts do not fit together.
    public convenience init(directory: URL? = nil, tokenizer: SentencePieceTokenizer, textEncoder: T5Encoder, generator: MMDiT,
                            statistics: LatentStatistics, settings: GenerationSettings, decoder: TargetDecoder) throws {
        let g = generator.config
        try self.init(directory: directory, tokenizer: tokenizer, textEncoder: textEncoder, generator: generator, family: .diffusion,
                      shape: (g.textWidth, g.maxTextTokens, g.imageTokens, g.latentChannels),
                      sampler: FlowSampler(model: generator, statistics: statistics), statistics: statistics, settings: settings,
                      decoder: decoder)
    }

    /// Assembles a pipeline around a normalizing flow; throws `invalidModel` when the parts do not fit together.
    public convenience init(directory: URL? = nil, tokenizer: SentencePieceTokenizer, textEncoder: T5Encoder, flow: TransformerFlow,
                            statistics: LatentStatistics, settings: GenerationSettings, decoder: TargetDecoder) throws {
        let g = flow.config
        try self.init(directory: directory, tokenizer: tokenizer, textEncoder: textEncoder, generator: flow, family: .flow,
                      shape: (g.textWidth, g.maxTextTokens, g.imageTokens, g.latentChannels),
                      sampler: NormalizingFlowSampler(flow: flow, statistics: statistics), statistics: statistics, settings: settings,
                      decoder: decoder)
    }

    /// `shape`: the text width and tokens the generator reads and the (tokens, channels) it makes.
    private init(directory: URL?, tokenizer: SentencePieceTokenizer, textEncoder: T5Encoder, generator: any Module,
                 family: GeneratorFamily, shape g: (textWidth: Int, maxTextTokens: Int, imageTokens: Int, latentChannels: Int),
                 sampler: LatentSampler, statistics: LatentStatistics, settings: GenerationSettings, decoder: TargetDecoder) throws {
        func fail(_ message: String) -> TextToImageError { TextToImageError(.invalidModel, message) }
        guard textEncoder.config.vocabSize >= tokenizer.vocabularySize else {
            throw fail("the tokenizer has \(tokenizer.vocabularySize) pieces but the text encoder's vocabulary only \(textEncoder.config.vocabSize)")
        }
        guard textEncoder.config.dModel == g.textWidth else {
            throw fail("the text encoder is \(textEncoder.config.dModel) wide; the generator reads \(g.textWidth)-wide text")
        }
        guard settings.maxTextTokens <= g.maxTextTokens else {
            throw fail("generation.json asks for \(settings.maxTextTokens) text tokens; the generator accepts at most \(g.maxTextTokens)")
        }
        guard statistics.channels == g.latentChannels else {
            throw fail("latent_statistics.json has \(statistics.channels) channels; the generator makes \(g.latentChannels)")
        }
        guard settings.target == decoder.target else {
            throw fail("generation.json's target '\(settings.target.rawValue)' differs from the decoder's '\(decoder.target.rawValue)'")
        }
        let (tokens, channels) = decoder.inputShape
        guard g.imageTokens == tokens, g.latentChannels == channels else {
            throw fail("the generator makes (\(g.imageTokens), \(g.latentChannels)) per image; the \(settings.target.rawValue) decoder reads (\(tokens), \(channels))")
        }
        self.directory = directory
        self.tokenizer = tokenizer
        self.textBatchEncoder = try TextBatchEncoder(tokenizer: tokenizer, maxTokens: settings.maxTextTokens)
        self.textEncoder = textEncoder
        self.generator = generator
        self.family = family
        self.statistics = statistics
        self.settings = settings
        self.decoder = decoder
        self.sampler = sampler
    }

    /// The sampler settings `generate` uses for `configuration`: its shift and temperature, else the model's.
    public func samplerConfiguration(_ configuration: FlowSamplerConfiguration) -> FlowSamplerConfiguration {
        var c = configuration
        if c.shift == nil { c.shift = settings.shift }
        if c.temperature == nil { c.temperature = settings.temperature }
        return c
    }

    /// One image per seed. `prompts` and `negativePrompts` hold one entry (shared by every image)
    /// or one per seed (else `invalidInput`); no negative prompt means the empty one (the
    /// unconditional prompt). `progress(step, total)` is called after each sampler step; throwing
    /// from it stops the work between steps and the error comes out of `generate`.
    ///
    /// Requires at least one seed and one step: callers pass validated requests
    /// (`GenerationParameters.validate()`) or their own fixed settings.
    public func generate(prompts: [String], negativePrompts: [String] = [""], seeds: [UInt64],
                         configuration: FlowSamplerConfiguration = FlowSamplerConfiguration(),
                         progress: (Int, Int) throws -> Void = { _, _ in }) throws -> [RGBImage] {
        try sample(prompts: prompts, negativePrompts: negativePrompts, seeds: seeds, configuration: configuration,
                   progress: progress).images
    }

    /// `generate`, with the text tokens cut from each prompt and negative prompt (in that order)
    /// by the tokenization the render itself did.
    func sample(prompts: [String], negativePrompts: [String], seeds: [UInt64], configuration: FlowSamplerConfiguration,
                progress: (Int, Int) throws -> Void) throws -> (images: [RGBImage], cut: [Int]) {
        let b = seeds.count
        precondition(b > 0, "TextToImagePipeline.generate needs at least one seed")
        precondition(configuration.steps > 0, "TextToImagePipeline.generate needs at least one step, got \(configuration.steps)")
        let negatives = negativePrompts.isEmpty ? [""] : negativePrompts
        for (name, list) in [("prompts", prompts), ("negative prompts", negatives)] where list.count != 1 && list.count != b {
            throw TextToImageError(.invalidInput, "\(list.count) \(name) for \(b) seeds; give 1 or \(b)")
        }
        let sampling = samplerConfiguration(configuration)
        if let t = sampling.temperature, !FlowSamplerConfiguration.temperatures.contains(t) {
            throw TextToImageError(.invalidInput, "the temperature must be in \(FlowSamplerConfiguration.temperatures), got \(t)")
        }
        let (prompt, negative, cut) = try encodeText(prompts, negatives)
        sampler.configuration = sampling
        let latents: Tensor
        do {
            latents = try sampler.sample(seeds: seeds, prompt: prompt, negative: negative, progress: progress)
        } catch let error as SamplerError {
            throw TextToImageError(.invalidInput, error.message, cause: error)
        }
        try Self.requireFinite(latents, what: "the generator's \(settings.target.rawValue) output")   // (B, N, c)
        let pixels = try decoder.decode(latents)                                                       // (B, 3, 64, 64)
        try Self.requireFinite(pixels, what: "the decoded images")
        return (try images(from: pixels), cut)
    }

    /// Encodes prompts and negative prompts in one text-encoder pass, padded only to the longest
    /// of them; the conditions view the encoder's output buffer (valid until its next call). `cut`:
    /// the tokens dropped from each text, prompts first.
    func encodeText(_ prompts: [String], _ negatives: [String]) throws -> (TextCondition, TextCondition, cut: [Int]) {
        let (ids, mask, t, cut) = textBatchEncoder.encodeToLongest(prompts + negatives)
        let d = textEncoder.config.dModel
        let rows = prompts.count + negatives.count
        let hidden = try textEncoder.forward(inputIDs: ids, batch: rows, length: t, attentionMask: mask)   // (R, T, D)
        let promptMask = promptMaskSlot.tensor(prompts.count, t), negativeMask = negativeMaskSlot.tensor(negatives.count, t)
        for i in 0..<promptMask.count { promptMask.pointer[i] = Float(mask[i]) }
        for i in 0..<negativeMask.count { negativeMask.pointer[i] = Float(mask[promptMask.count + i]) }
        let promptHidden = Tensor(storage: hidden.storage, offset: hidden.offset, shape: [prompts.count, t, d])
        let negativeHidden = Tensor(storage: hidden.storage, offset: hidden.offset + prompts.count * t * d,
                                    shape: [negatives.count, t, d])
        return (try TextCondition(hidden: promptHidden, mask: promptMask),
                try TextCondition(hidden: negativeHidden, mask: negativeMask), cut)
    }

    /// (B, 3, 64, 64) in [-1, 1] -> RGB8 images.
    func images(from pixels: Tensor) throws -> [RGBImage] {
        try PixelNormalization.images(fromCHWBatch: UnsafeBufferPointer(pixels.buffer), side: pixels.dim(2))
    }
}
