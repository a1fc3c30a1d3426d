import Dataset
import Foundation
import Models
import Sampler
import TensorEngine
import TextToImage

/// `eval flow`: the negative log-likelihood of held-out images under a model folder's normalizing
/// flow, in bits per dimension. Each image goes through the folder's frozen FAE to what the flow
/// generates (its target: the latent, 64 x 16, or the encoder's features or pixel patches), is
/// standardised with the folder's statistics and given the training noise (`noise_scale`, from a
/// fixed seed: the density the flow was trained on), and the flow scores it given its caption.
/// Lower is better; the figure is comparable between flows on the same FAE and target.
public struct FlowLikelihood {
    public let pipeline: TextToImagePipeline
    public let flow: TransformerFlow
    public let autoencoder: FAEAutoencoder
    public var batchSize = 32
    public var seed: UInt64 = 0x5EED_7A11_DA7A

    /// Throws `invalidModel` when the folder's generator is not a flow.
    public init(directory: URL) throws {
        do {
            pipeline = try TextToImagePipeline(directory: directory)
            autoencoder = try FAEAutoencoder(directory: directory)
        } catch {
            throw EvaluationError(.invalidModel, "cannot load the model folder \(directory.path): \(error)", cause: error)
        }
        guard let flow = pipeline.generator as? TransformerFlow else {
            throw EvaluationError(.invalidModel, "\(directory.path)/generator holds a diffusion generator, not a normalizing flow")
        }
        self.flow = flow
    }

    /// Bits per dimension of the first `images` images of `dataset` (and the mean per image in nats).
    public func evaluate(_ dataset: ImageDataset, images: Int) throws -> FlowLikelihoodReport {
        let count = min(images, dataset.count)
        guard count > 0 else { throw EvaluationError(.invalidArgument, "\(dataset.url.path) holds no images") }
        let start = Date()
        let side = autoencoder.config.imageSize, scale = Float(flow.config.noiseScale), target = pipeline.settings.target
        var rng = RandomGenerator(seed: seed)
        var total = 0.0, done = 0
        while done < count {
            let rows = min(batchSize, count - done)
            let indices = Array(done ..< done + rows)
            let pixels = Tensor(zeros: [rows, 3, side, side])
            try dataset.loadImages(indices: indices, into: pixels.buffer, threads: Engine.threads)
            let latents = Tensor(zeros: [rows, autoencoder.config.tokens, autoencoder.channels(of: target)])  // (B, N, c)
            try autoencoder.encode(pixels, as: target, into: latents)
            try pipeline.statistics.normalize(latents)
            for i in 0 ..< latents.count { latents.pointer[i] += scale * rng.normal() }
            let (ids, mask) = pipeline.textBatchEncoder.encode(indices.map { dataset.caption(at: $0) })
            let t = pipeline.textBatchEncoder.maxTokens
            let text = try pipeline.textEncoder.forward(inputIDs: ids, batch: rows, length: t, attentionMask: mask)
            _ = try flow.forward(latents, text: text, textMask: try Tensor(shape: [rows, t], values: mask.map(Float.init)))
            total += flow.negativeLogLikelihoods().reduce(0.0) { $0 + Double($1) }
            done += rows
        }
        let nats = total / Double(count)
        return FlowLikelihoodReport(images: count, bitsPerDimension: nats / M_LN2, natsPerDimension: nats,
                                    dimensions: flow.dimensions, seconds: Date().timeIntervalSince(start))
    }
}
