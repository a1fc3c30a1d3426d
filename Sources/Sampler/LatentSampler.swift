import TensorEngine

/// What the pipeline needs of a sampler, whichever the generator family: one latent per seed
/// from the prompt's and the negative prompt's text, with progress between steps.
public protocol LatentSampler: AnyObject {
    var configuration: FlowSamplerConfiguration { get set }
    /// (B = seeds.count, N, d) latents in a sampler-owned buffer; throwing from `progress` cancels.
    func sample(seeds: [UInt64], prompt: TextCondition, negative: TextCondition,
                progress: (Int, Int) throws -> Void) throws -> Tensor
}

extension FlowSampler: LatentSampler {}
