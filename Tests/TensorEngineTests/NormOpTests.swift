import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct NormOps {
        @Test func layerNormGradients() {
            try? withThreads { _ in
                let x = randomTensor([2, 3, 19], seed: 1, std: 2, mean: 0.5)
                let w = randomTensor([19], seed: 2, mean: 1), b = randomTensor([19], seed: 3)
                let y = Tensor(zeros: x.shape), mean = Tensor(zeros: [6]), rstd = Tensor(zeros: [6])
                let dx = Tensor(zeros: x.shape), dw = Tensor(zeros: w.shape), db = Tensor(zeros: b.shape)
                let f = checkGradients(inputs: [x, w, b], grads: [dx, dw, db], eps: 1e-2) {
                    Ops.layerNormForward(x: x, weight: w, bias: b, eps: 1e-5, y: y, mean: mean, rstd: rstd); return y
                } backward: { dy in
                    Ops.layerNormBackward(dy: dy, x: x, weight: w, mean: mean, rstd: rstd, dx: dx, dWeight: dw, dBias: db)
                }
                #expect(f.isEmpty, "\(f)")
            }
        }

        @Test func layerNormNormalises() {
            let x = randomTensor([4, 64], seed: 9, std: 3, mean: 2)
            let w = Tensor(zeros: [64]); w.fill(1)
            let y = Tensor(zeros: x.shape), mean = Tensor(zeros: [4]), rstd = Tensor(zeros: [4])
            Ops.layerNormForward(x: x, weight: w, bias: nil, eps: 1e-6, y: y, mean: mean, rstd: rstd)
            for r in 0..<4 {
                let row = (0..<64).map { y[r, $0] }
                let m = row.reduce(0, +) / 64
                let v = row.map { ($0 - m) * ($0 - m) }.reduce(0, +) / 64
                #expect(abs(m) < 1e-5 && abs(v - 1) < 1e-3)
            }
        }

        @Test func rmsNormGradients() {
            let x = randomTensor([5, 13], seed: 1), w = randomTensor([13], seed: 2, mean: 1)
            let y = Tensor(zeros: x.shape), rstd = Tensor(zeros: [5])
            let dx = Tensor(zeros: x.shape), dw = Tensor(zeros: w.shape)
            let f = checkGradients(inputs: [x, w], grads: [dx, dw]) {
                Ops.rmsNormForward(x: x, weight: w, eps: 1e-6, y: y, rstd: rstd); return y
            } backward: { dy in
                Ops.rmsNormBackward(dy: dy, x: x, weight: w, rstd: rstd, dx: dx, dWeight: dw)
            }
            #expect(f.isEmpty, "\(f)")
        }
    }
}
