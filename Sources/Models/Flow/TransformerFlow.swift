import Foundation
import TensorEngine

/// The normalizing-flow generator (TARFlow / STARFlow on the FAE latent): an invertible map from
/// latents x (B, N, D) to Gaussian noise z, conditioned on text hidden states (B, T, Ct) with mask
/// (B, T), with an exact log-likelihood
///     log p(x) = log N(z; 0, I) + sum over blocks of -sum(alpha).
/// `blocks` are in sampling order: the deep block, which reads the text and reads the tokens in
/// raster order, then the shallow blocks, alternating reversed and raster order. Going from latent
/// to noise (`forward`) runs them last to first.
public final class TransformerFlow: Module {
    public let config: FlowConfig
    public let blocks: [FlowBlock]

    private var savedZ: Tensor?
    private let dzSlot = TensorSlot()

    public init(config: FlowConfig) throws {
        try config.validate()
        self.config = config
        blocks = (0..<config.blocks).map { index in
            FlowBlock(config: config, layers: config.layers(ofBlock: index), reversed: index % 2 == 1, readsText: index == 0)
        }
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        blocks.namedParameters(prefix: prefix + "blocks.")
    }

    public func initialize(_ rng: inout RandomGenerator) {
        for block in blocks { block.initialize(&rng) }
    }

    /// Checks user-provided shapes against the config; throws `ModelError.invalidInput`.
    public func validateInputs(x: Tensor, text: Tensor, textMask: Tensor, textRows: Int? = nil) throws {
        let b = x.rank == 3 ? x.dim(0) : -1
        guard x.shape == [b, config.imageTokens, config.latentChannels], b > 0 else {
            throw ModelError(.invalidInput, "flow: x must be (B, \(config.imageTokens), \(config.latentChannels)), got \(x.shape)")
        }
        let rows = textRows ?? b
        guard text.rank == 3, text.dim(0) == rows, text.dim(2) == config.textWidth, (1...config.maxTextTokens).contains(text.dim(1)) else {
            throw ModelError(.invalidInput, "flow: text must be (\(rows), 1...\(config.maxTextTokens), \(config.textWidth)), got \(text.shape)")
        }
        guard textMask.count == rows * text.dim(1) else {
            throw ModelError(.invalidInput, "flow: text mask must be (\(rows), \(text.dim(1))), got \(textMask.shape)")
        }
    }

    /// Latents x (B, N, D) -> noise z (B, N, D), in a model-owned buffer; keeps what
    /// `negativeLogLikelihood` and `backward` need.
    public func forward(_ x: Tensor, text: Tensor, textMask: Tensor) throws -> Tensor {
        try validateInputs(x: x, text: text, textMask: textMask)
        var h = x
        for block in blocks.reversed() {
            h = block.forward(h, text: block.readsText ? text : nil, textMask: block.readsText ? textMask : nil)
        }
        savedZ = h
        return h
    }

    /// The dimensions of one sample (N * D), over which the likelihood is averaged.
    public var dimensions: Int { config.imageTokens * config.latentChannels }

    /// -log p(x) of each sample of the last `forward` in nats per dimension (B values):
    /// (0.5 * sum(z^2) + 0.5 * N * D * log(2 pi) + sum of every block's alphas) / (N * D).
    public func negativeLogLikelihoods() -> [Float] {
        guard let z = savedZ else { preconditionFailure("TransformerFlow.negativeLogLikelihoods before forward") }
        return (0..<z.dim(0)).map { Float(negativeLogLikelihood(ofRow: $0, z: z)) }
    }

    /// The batch mean of `negativeLogLikelihoods()`, the training loss (without allocating).
    public func negativeLogLikelihood() -> Float {
        guard let z = savedZ else { preconditionFailure("TransformerFlow.negativeLogLikelihood before forward") }
        var total = 0.0
        for row in 0..<z.dim(0) { total += negativeLogLikelihood(ofRow: row, z: z) }
        return Float(total / Double(max(z.dim(0), 1)))
    }

    private func negativeLogLikelihood(ofRow row: Int, z: Tensor) -> Double {
        let dims = dimensions
        var total = 0.0
        let zp = z.pointer + row * dims
        for i in 0..<dims { total += 0.5 * Double(zp[i] * zp[i]) }
        for block in blocks {
            let ap = block.logScales.pointer + row * dims
            for i in 0..<dims { total += Double(ap[i]) }
        }
        return total / Double(dims) + 0.5 * log(2 * Double.pi)
    }

    /// The gradient of `gradientScale` x the batch-mean negative log-likelihood of the last
    /// `forward`: accumulates every parameter's and returns dx (B, N, D) (a block-owned buffer);
    /// `textGradient` holds the text's (B, T, Ct).
    @discardableResult
    public func backward(gradientScale: Float = 1) -> Tensor {
        guard let z = savedZ else { preconditionFailure("TransformerFlow.backward before forward") }
        let perValue = gradientScale / Float(z.dim(0) * dimensions)
        let dz = dzSlot.tensor(like: z)
        let zp = z.pointer, dp = dz.pointer
        for i in 0..<z.count { dp[i] = perValue * zp[i] }
        var d = dz
        for block in blocks { d = block.backward(d, logScaleGradient: perValue) }
        return d
    }

    /// The text's gradient (B, T, Ct) after `backward`.
    public var textGradient: Tensor? { blocks[0].textGradient }

    /// Noise z (B, N, D) -> latents (B, N, D): the blocks inverted in sampling order, each token by
    /// token. `text` holds B rows, or 2B (conditional, then unconditional) for guidance >= 1 in the
    /// deep block (the shallow blocks read no text). `afterToken(done, total)` runs after each of
    /// the blocks x N tokens.
    public func sample(noise z: Tensor, text: Tensor, textMask: Tensor, guidance: Float = 1,
                       afterToken: (Int, Int) throws -> Void = { _, _ in }) throws -> Tensor {
        try validateInputs(x: z, text: text, textMask: textMask, textRows: text.dim(0) == 2 * max(z.dim(0), 1) ? 2 * z.dim(0) : z.dim(0))
        guard text.dim(0) == z.dim(0) || (guidance.isFinite && guidance >= 1) else {
            throw ModelError(.invalidInput, "flow: guidance must be at least 1, got \(guidance)")
        }
        let n = config.imageTokens, total = blocks.count * n
        var x = z
        for (index, block) in blocks.enumerated() {
            x = try block.inverse(x, text: block.readsText ? text : nil, textMask: block.readsText ? textMask : nil,
                                  guidance: block.readsText ? guidance : 1) { i in try afterToken(index * n + i + 1, total) }
        }
        return x
    }
}
