import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct Optimizers {
        @Test func adamWOneStepByHand() throws {
            let w = Parameter([2, 1]), b = Parameter([1])
            w.value.pointer[0] = 1; w.value.pointer[1] = -2; b.value.pointer[0] = 0.5
            w.grad.pointer[0] = 0.1; w.grad.pointer[1] = -0.3; b.grad.pointer[0] = 2
            let opt = AdamW([("w", w), ("b", b)], learningRate: 0.1, weightDecay: 0.01)
            opt.step()
            // Step 1: m/(1-b1) = g, v/(1-b2) = g^2, so the update is lr * g / (|g| + eps).
            // w: decayed by (1 - lr*wd) = 0.999 first; b: no decay (rank 1).
            let expectedW0: Float = 1 * 0.999 - 0.1 * 0.1 / (0.1 + 1e-8)
            let expectedW1: Float = -2 * 0.999 - 0.1 * -0.3 / (0.3 + 1e-8)
            let expectedB: Float = 0.5 - 0.1 * 2 / (2 + 1e-8)
            #expect(abs(w.value.pointer[0] - expectedW0) < 1e-6)
            #expect(abs(w.value.pointer[1] - expectedW1) < 1e-6)
            #expect(abs(b.value.pointer[0] - expectedB) < 1e-6)
            // Step 2 with the same gradient: bias-corrected m and v stay g and g^2.
            opt.step()
            #expect(abs(b.value.pointer[0] - (expectedB - 0.1 * 2 / (2 + 1e-8))) < 1e-5)
        }

        @Test func clippingByGlobalNorm() {
            let a = Parameter([2]), b = Parameter([1])
            a.grad.pointer[0] = 3; a.grad.pointer[1] = 0; b.grad.pointer[0] = 4
            let norm = GradientClipping.clip([a, b], maxNorm: 1)
            #expect(abs(norm - 5) < 1e-6)
            #expect(abs(GradientClipping.globalNorm([a, b]) - 1) < 1e-5)
            #expect(abs(a.grad.pointer[0] - 0.6) < 1e-5)
        }

        @Test func schedules() {
            let s = LearningRateSchedule(kind: .cosine, baseLearningRate: 1, warmupSteps: 10, totalSteps: 110, minLearningRate: 0.1)
            #expect(abs(s.learningRate(at: 0) - 0.1) < 1e-6)
            #expect(abs(s.learningRate(at: 9) - 1) < 1e-6)
            #expect(abs(s.learningRate(at: 10) - 1) < 1e-6)
            #expect(abs(s.learningRate(at: 60) - 0.55) < 1e-5)
            #expect(abs(s.learningRate(at: 110) - 0.1) < 1e-6)
            #expect(abs(s.learningRate(at: 500) - 0.1) < 1e-6)
            let c = LearningRateSchedule(kind: .constant, baseLearningRate: 0.5, totalSteps: 10)
            #expect(c.learningRate(at: 7) == 0.5)
        }

        @Test func emaUpdates() {
            let p = Parameter([1])
            p.value.pointer[0] = 1
            let ema = ExponentialMovingAverage([("p", p)], decay: 0.9)
            p.value.pointer[0] = 2
            ema.update()
            #expect(abs(ema.shadows[0].pointer[0] - 1.1) < 1e-6)
            ema.swapWithParameters()
            #expect(abs(p.value.pointer[0] - 1.1) < 1e-6 && ema.shadows[0].pointer[0] == 2)
            ema.swapWithParameters()
            #expect(p.value.pointer[0] == 2 && abs(ema.shadows[0].pointer[0] - 1.1) < 1e-6)
            ema.copyToParameters()
            #expect(abs(p.value.pointer[0] - 1.1) < 1e-6)
        }

        @Test func trainingReducesLoss() {
            // A two-layer MLP fits a fixed random target: the loss must fall well below its start.
            let mlp = MLP(dim: 8, hidden: 16)
            var rng = RandomGenerator(seed: 1)
            mlp.initialize(&rng)
            let x = randomTensor([16, 8], seed: 2), target = randomTensor([16, 8], seed: 3, std: 0.5)
            let opt = AdamW(mlp.namedParameters(prefix: ""), learningRate: 1e-2, weightDecay: 0)
            let dy = Tensor(zeros: target.shape)
            var first: Float = 0, last: Float = 0
            for step in 0..<200 {
                opt.zeroGrad(); dy.zero()
                let y = mlp.forward(x)
                last = Ops.mseLoss(pred: y, target: target, dPred: dy)
                if step == 0 { first = last }
                _ = mlp.backward(dy)
                opt.step()
            }
            #expect(last < 0.2 * first)
        }
    }
}
