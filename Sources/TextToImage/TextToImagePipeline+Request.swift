import Generation
import Sampler

extension TextToImagePipeline {
    /// The images of one request: its prompt and negative prompt for every seed, with its steps,
    /// sampler and guidance weight (the trained time shift). `parameters` must have passed
    /// `GenerationParameters.validate()` where the request entered; `progress` as in
    /// `generate(prompts:...)`. The result says how many text tokens the model could not read,
    /// from the tokenization this render did.
    public func generate(_ parameters: GenerationParameters,
                         progress: (Int, Int) throws -> Void = { _, _ in }) throws -> GeneratedImages {
        let result = try sample(prompts: [parameters.prompt], negativePrompts: [parameters.negativePrompt],
                                seeds: parameters.seeds.map { UInt64(bitPattern: $0) },
                                configuration: FlowSamplerConfiguration(parameters), progress: progress)
        return GeneratedImages(images: result.images, promptTokensCut: result.cut[0], negativePromptTokensCut: result.cut[1],
                               maxTextTokens: settings.maxTextTokens)
    }
}
