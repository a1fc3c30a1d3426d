import Foundation
import Testing
import Models
import TensorEngine
import TestSupport

/// A few dozen AdamW steps on fixed data: the losses must clearly fall.
@Suite struct FAETrainingTests {
    /// Encoder + feature decoder reconstructing fixed features of rank 4 (< d = 8), sampled z.
    @Test(arguments: FAEEncoderKind.allCases)
    func featureReconstructionLossFalls(kind: FAEEncoderKind) throws {
        var config = FAEConfig()
        config.encoderWidth = 16; config.encoderHeads = 2; config.encoderHeadDim = 16; config.encoderKind = kind
        config.latentChannels = 8
        config.featureDecoderWidth = 32; config.featureDecoderDepth = 1; config.featureDecoderHeads = 2
        config.mlpRatio = 2; config.patchSize = 4; config.imageSize = 16
        let encoder = try FAEEncoder(config: config), decoder = try FeatureDecoder(config: config)
        encoder.initialize(seed: 1); decoder.initialize(seed: 2)
        // x = U A: 4 images x 16 tokens of rank-4 structure in 16 channels.
        let u = FAETestSupport.random([4 * config.tokens, 4], seed: 3), a = FAETestSupport.random([16, 4], seed: 4, std: 0.5)
        let x = Tensor(zeros: [4, config.tokens, 16])
        Ops.linearForward(x: u, weight: a, bias: nil, y: x.reshaped([4 * config.tokens, 16]))
        let params = encoder.namedParameters(prefix: "encoder.") + decoder.namedParameters(prefix: "decoder.")
        let optimizer = AdamW(params, learningRate: 3e-3, weightDecay: 0)
        let step = FAETrainingStep()
        var rng = RandomGenerator(seed: 5)
        var losses: [Float] = []
        for _ in 0 ..< 60 {
            optimizer.zeroGrad()
            losses.append(step.feature(encoder: encoder, decoder: decoder, features: x, beta: 1e-4, rng: &rng).reconstruction)
            optimizer.step()
        }
        let first = losses.prefix(3).reduce(0, +) / 3, last = losses.suffix(3).reduce(0, +) / 3
        #expect(last < 0.5 * first, "\(kind): \(losses)")
    }

    /// The pixel decoder fitting two rendered shapes images from fixed random features.
    @Test func pixelDecoderFitsRenderedShapes() throws {
        var config = FAEConfig()
        config.encoderWidth = 16
        config.pixelDecoderWidth = 32; config.pixelDecoderDepth = 1; config.pixelDecoderHeads = 2
        config.pixelDecoderMapChannels = 4; config.mlpRatio = 2
        let decoder = try PixelDecoder(config: config)
        decoder.initialize(seed: 1)
        let images = Tensor(zeros: [2, 3, 64, 64])
        images.slice(first: 0 ..< 1).copy(from: try FAETestSupport.render("a large red circle in the center on a white background", seed: 1))
        images.slice(first: 1 ..< 2).copy(from: try FAETestSupport.render("a blue square left of a yellow triangle", seed: 2))
        let weight = Tensor(zeros: [2, 1, 64, 64])
        FAELosses.objectWeights(images: images, into: weight)
        let features = FAETestSupport.random([2, config.tokens, 16], seed: 3)
        let optimizer = AdamW(decoder.namedParameters(prefix: ""), learningRate: 3e-3, weightDecay: 0)
        let step = FAETrainingStep()
        var losses: [Float] = []
        for _ in 0 ..< 40 {
            optimizer.zeroGrad()
            losses.append(step.pixel(decoder: decoder, features: features, images: images, weight: weight, loss: .mse))
            optimizer.step()
        }
        let first = losses.prefix(3).reduce(0, +) / 3, last = losses.suffix(3).reduce(0, +) / 3
        #expect(last < 0.3 * first, "\(losses)")
    }
}
