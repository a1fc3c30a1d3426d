import Foundation
import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct ModulationAndLosses {
        @Test func modulateGradients() {
            let (b, t, c) = (2, 3, 4)
            let x = randomTensor([b, t, c], seed: 1), ada = randomTensor([b, 3 * c], seed: 2)   // [shift | scale | gate]
            let y = Tensor(zeros: x.shape), dx = Tensor(zeros: x.shape), dAda = Tensor(zeros: ada.shape)
            let shift = Ops.RowVectors(chunk: 0, width: c, of: ada), scale = Ops.RowVectors(chunk: 1, width: c, of: ada)
            let f = checkGradients(inputs: [x, ada], grads: [dx, dAda]) {
                Ops.modulateForward(x: x, shift: shift, scale: scale, y: y); return y
            } backward: { dy in
                Ops.modulateBackward(dy: dy, x: x, scale: scale, dx: dx, dShift: .init(chunk: 0, width: c, of: dAda),
                                     dScale: .init(chunk: 1, width: c, of: dAda))
            }
            #expect(f.isEmpty, "\(f)")
        }

        @Test func gatedResidualGradients() {
            let (b, t, c) = (2, 3, 4)
            let x = randomTensor([b, t, c], seed: 1), br = randomTensor([b, t, c], seed: 3), gate = randomTensor([b, c], seed: 2)
            let y = Tensor(zeros: x.shape)
            let dx = Tensor(zeros: x.shape), dbr = Tensor(zeros: br.shape), dg = Tensor(zeros: gate.shape)
            let f = checkGradients(inputs: [x, br, gate], grads: [dx, dbr, dg]) {
                Ops.gatedResidualForward(x: x, branch: br, gate: .init(chunk: 0, width: c, of: gate), y: y); return y
            } backward: { dy in
                Ops.gatedResidualBackward(dy: dy, branch: br, gate: .init(chunk: 0, width: c, of: gate), dx: dx, dBranch: dbr,
                                          dGate: .init(chunk: 0, width: c, of: dg))
            }
            #expect(f.isEmpty, "\(f)")
        }

        @Test func reductionGradients() {
            let x = randomTensor([2, 3, 4], seed: 1), y = Tensor(zeros: [2, 4]), dx = Tensor(zeros: x.shape)
            let f = checkGradients(inputs: [x], grads: [dx]) { Ops.meanTokensForward(x, y: y); return y }
                backward: { Ops.meanTokensBackward(dy: $0, dx: dx) }
            #expect(f.isEmpty, "\(f)")
            #expect(abs(Ops.sumForward(x) - x.values.reduce(0, +)) < 1e-4)
            dx.zero(); Ops.meanBackward(dMean: 2, dx: dx)
            #expect(abs(dx[1, 2, 3] - Float(2) / 24) < 1e-7)
        }

        /// FD check of a scalar loss: `loss(grads)` returns the loss and accumulates its gradients.
        func checkLoss(_ inputs: [Tensor], _ loss: ([Tensor]?) -> Float) -> [String] {
            let grads = inputs.map { Tensor(zeros: $0.shape) }
            _ = loss(grads)
            return GradientCheck.check(inputs.map(\.buffer), analytic: grads.map(\.values), eps: 1e-3) { Double(loss(nil)) }
        }

        @Test func lossGradients() {
            let p = randomTensor([3, 5], seed: 1), t = randomTensor([3, 5], seed: 2)
            var f = checkLoss([p]) { g in Ops.mseLoss(pred: p, target: t, dPred: g?[0]) }
            #expect(f.isEmpty, "\(f)")
            f = checkLoss([p]) { g in Ops.l1Loss(pred: p, target: t, dPred: g?[0]) }
            #expect(f.isEmpty, "\(f)")
            let mu = randomTensor([4, 3], seed: 3), lv = randomTensor([4, 3], seed: 4, std: 0.5)
            f = checkLoss([mu, lv]) { g in Ops.gaussianKLLoss(mean: mu, logvar: lv, dMean: g?[0], dLogvar: g?[1]) }
            #expect(f.isEmpty, "\(f)")
            let zero = Tensor(zeros: [2, 2])
            #expect(Ops.gaussianKLLoss(mean: zero, logvar: zero) == 0)
            let one = Tensor(zeros: [1]); one.fill(2)
            #expect(abs(Ops.mseLoss(pred: one, target: Tensor(zeros: [1])) - 4) < 1e-6)
        }
    
        @Test func crossEntropyGradientsSkipUnlabelledRows() {
            let logits = randomTensor([4, 3], seed: 5, std: 2)
            let labels: [Int32] = [2, -1, 0, 1]
            let f = checkLoss([logits]) { g in
                labels.withUnsafeBufferPointer { Float(Ops.softmaxCrossEntropy(logits: logits, labels: $0, dLogits: g?[0], dLoss: 0.5).lossSum * 0.5) }
            }
            #expect(f.isEmpty, "\(f)")
            // The loss of a row is log-sum-exp minus its label's logit; the skipped row gets no gradient.
            let d = Tensor(zeros: logits.shape)
            d.fill(7)
            let result = labels.withUnsafeBufferPointer { Ops.softmaxCrossEntropy(logits: logits, labels: $0, dLogits: d) }
            var expected = 0.0, correct = 0
            for row in [0, 2, 3] {
                let values = (0..<3).map { Double(logits[row, $0]) }
                expected += log(values.map { exp($0) }.reduce(0, +)) - values[Int(labels[row])]
                if values.firstIndex(of: values.max()!) == Int(labels[row]) { correct += 1 }
            }
            #expect(result.count == 3 && result.correct == correct)
            #expect(abs(result.lossSum - expected) < 1e-5 * expected)
            #expect((0..<3).allSatisfy { d[1, $0] == 0 })
        }
    }
}
