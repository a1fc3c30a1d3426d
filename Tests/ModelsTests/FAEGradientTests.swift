import Foundation
import Testing
import Models
import TensorEngine
import TestSupport

/// Finite-difference checks of every FAE component's backward, on every parameter and input.
@Suite struct FAEGradientTests {
    @Test(arguments: [(FAEEncoderKind.attention, false), (.attention, true), (.linear, false), (.transformer3, false)])
    func encoderPosterior(kind: FAEEncoderKind, preNorm: Bool) throws {
        let config = FAETestSupport.tinyConfig(kind: kind, preNorm: preNorm)
        let encoder = try FAEEncoder(config: config)
        encoder.initialize(seed: 1)
        encoder.needsInputGradient = true
        let x = FAETestSupport.random([2, config.tokens, config.encoderWidth], seed: 2)
        let dx = Tensor(zeros: x.shape)
        let shape = [2, config.tokens, config.latentChannels]
        let rMean = FAETestSupport.random(shape, seed: 3), rLogvar = FAETestSupport.random(shape, seed: 4)
        let failures = FAETestSupport.check(encoder, inputs: [(x, dx)]) {
            _ = encoder.forward(x)
            encoder.backward(dMean: rMean, dLogvar: rLogvar).map { Ops.accumulate($0, into: dx) }
        } loss: {
            let p = encoder.forward(x)
            return FAETestSupport.dot(p.mean, rMean) + FAETestSupport.dot(p.logvar, rLogvar)
        }
        #expect(failures.isEmpty, "\(kind) pre-norm \(preNorm): \(failures)")
    }

    /// The sampled path: z = mean + std * eps with a fixed seed, plus the KL term.
    @Test func encoderSampleAndKL() throws {
        let config = FAETestSupport.tinyConfig()
        let encoder = try FAEEncoder(config: config)
        encoder.initialize(seed: 5)
        let x = FAETestSupport.random([2, config.tokens, config.encoderWidth], seed: 6)
        let r = FAETestSupport.random([2, config.tokens, config.latentChannels], seed: 7)
        let beta: Float = 0.5
        let failures = FAETestSupport.check(encoder) {
            let p = encoder.forward(x)
            var rng = RandomGenerator(seed: 8)
            _ = encoder.sample(p, rng: &rng)
            let (dMean, dLogvar) = encoder.sampleBackward(r)
            Ops.gaussianKLLoss(mean: p.mean, logvar: p.logvar, dMean: dMean, dLogvar: dLogvar, dLoss: beta)
            encoder.backward(dMean: dMean, dLogvar: dLogvar)
        } loss: {
            let p = encoder.forward(x)
            var rng = RandomGenerator(seed: 8)
            let z = encoder.sample(p, rng: &rng)
            return FAETestSupport.dot(z, r) + Double(beta * Ops.gaussianKLLoss(mean: p.mean, logvar: p.logvar))
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func featureDecoder() throws {
        let config = FAETestSupport.tinyConfig()
        let decoder = try FeatureDecoder(config: config)
        decoder.initialize(seed: 9)
        let z = FAETestSupport.random([2, config.tokens, config.latentChannels], seed: 10)
        let dz = Tensor(zeros: z.shape)
        let r = FAETestSupport.random([2, config.tokens, config.encoderWidth], seed: 11)
        let failures = FAETestSupport.check(decoder, inputs: [(z, dz)]) {
            _ = decoder.forward(z)
            decoder.backward(r).map { Ops.accumulate($0, into: dz) }
        } loss: {
            FAETestSupport.dot(decoder.forward(z), r)
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func pixelDecoder() throws {
        let config = FAETestSupport.tinyConfig()
        let decoder = try PixelDecoder(config: config)
        decoder.initialize(seed: 12)
        decoder.needsInputGradient = true
        let x = FAETestSupport.random([2, config.tokens, config.encoderWidth], seed: 13)
        let dx = Tensor(zeros: x.shape)
        let r = FAETestSupport.random([2, config.imageChannels, config.imageSize, config.imageSize], seed: 14)
        let failures = FAETestSupport.check(decoder, inputs: [(x, dx)]) {
            _ = decoder.forward(x)
            decoder.backward(r).map { Ops.accumulate($0, into: dx) }
        } loss: {
            FAETestSupport.dot(decoder.forward(x), r)
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test(arguments: PixelLossKind.allCases)
    func weightedPixelLoss(kind: PixelLossKind) {
        let pred = FAETestSupport.random([2, 3, 4, 5], seed: 15), target = FAETestSupport.random([2, 3, 4, 5], seed: 16)
        let weight = Tensor(zeros: [2, 1, 4, 5])
        FAELosses.objectWeights(images: target, objectWeight: 4, into: weight)
        #expect(weight.pointer[0] == 1 && weight.values.contains(4))
        let dPred = Tensor(zeros: pred.shape)
        FAELosses.pixel(kind, pred: pred, target: target, weight: weight, dPred: dPred)
        let failures = GradientCheck.check([pred.buffer], analytic: [dPred.values], eps: 1e-3, rtol: 1e-2, atol: 1e-4) {
            Double(FAELosses.pixel(kind, pred: pred, target: target, weight: weight, dPred: nil))
        }
        #expect(failures.isEmpty, "\(kind): \(failures)")
        // Uniform weights reduce to the plain mean loss.
        weight.fill(2)
        let plain = kind == .mse ? Ops.mseLoss(pred: pred, target: target) : Ops.l1Loss(pred: pred, target: target)
        #expect(abs(FAELosses.pixel(kind, pred: pred, target: target, weight: weight, dPred: nil) - plain) < 1e-5)
    }
}
