import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct ElementwiseOps {
        @Test func addAndMulGradients() {
            let a = randomTensor([3, 4], seed: 1), b = randomTensor([3, 4], seed: 2), y = Tensor(zeros: [3, 4])
            let da = Tensor(zeros: a.shape), db = Tensor(zeros: b.shape)
            var f = checkGradients(inputs: [a, b], grads: [da, db]) { Ops.addForward(a, b, y: y); return y }
                backward: { Ops.addBackward(dy: $0, da: da, db: db) }
            #expect(f.isEmpty, "\(f)")
            f = checkGradients(inputs: [a, b], grads: [da, db]) { Ops.mulForward(a, b, y: y); return y }
                backward: { Ops.mulBackward(dy: $0, a: a, b: b, da: da, db: db) }
            #expect(f.isEmpty, "\(f)")
        }

        @Test func rowBroadcastGradients() {
            let x = randomTensor([2, 3, 4], seed: 1), v = randomTensor([4], seed: 2), y = Tensor(zeros: x.shape)
            let dx = Tensor(zeros: x.shape), dv = Tensor(zeros: v.shape)
            var f = checkGradients(inputs: [x, v], grads: [dx, dv]) { Ops.addRowForward(x, row: v, y: y); return y }
                backward: { Ops.addRowBackward(dy: $0, dx: dx, dRow: dv) }
            #expect(f.isEmpty, "\(f)")
            f = checkGradients(inputs: [x, v], grads: [dx, dv]) { Ops.mulRowForward(x, row: v, y: y); return y }
                backward: { Ops.mulRowBackward(dy: $0, x: x, row: v, dx: dx, dRow: dv) }
            #expect(f.isEmpty, "\(f)")
        }

        @Test func residualWithLayerScale() {
            let x = randomTensor([3, 4], seed: 1), br = randomTensor([3, 4], seed: 2), g = randomTensor([4], seed: 3)
            let y = Tensor(zeros: x.shape)
            Ops.residualForward(x: x, branch: br, gamma: g, y: y)
            #expect(abs(y[2, 3] - (x[2, 3] + g[3] * br[2, 3])) < 1e-6)
        }

        @Test(arguments: [Ops.Activation.gelu, .geluTanh, .silu, .relu])
        func activationGradients(kind: Ops.Activation) {
            let x = randomTensor([3, 37], seed: 5, std: 2)      // 37: exercises the SIMD tail
            if kind == .relu { for i in 0..<x.count where abs(x.pointer[i]) < 0.05 { x.pointer[i] = 0.5 } }
            let y = Tensor(zeros: x.shape), dx = Tensor(zeros: x.shape)
            let f = checkGradients(inputs: [x], grads: [dx], eps: 1e-3) { Ops.activationForward(kind, x: x, y: y); return y }
                backward: { Ops.activationBackward(kind, dy: $0, x: x, dx: dx) }
            #expect(f.isEmpty, "\(f)")
        }

        @Test func activationValues() {
            let x = try! Tensor(shape: [4], values: [-3, -0.5, 0.7, 2.5])
            let y = Tensor(zeros: [4])
            Ops.activationForward(.gelu, x: x, y: y)
            let gelu = x.values.map { v in 0.5 * v * (1 + Float(Foundation.erf(Double(v) / 2.0.squareRoot()))) }
            #expect(Tolerance.compare(y.values, gelu, rtol: 1e-5, atol: 1e-6) == nil)
            Ops.activationForward(.geluTanh, x: x, y: y)
            let tanhForm = x.values.map { v in 0.5 * v * (1 + Foundation.tanh(0.7978845608 * (v + 0.044715 * v * v * v))) }
            #expect(Tolerance.compare(y.values, tanhForm, rtol: 1e-5, atol: 1e-6) == nil)
            Ops.activationForward(.silu, x: x, y: y)
            #expect(Tolerance.compare(y.values, x.values.map { $0 / (1 + Foundation.exp(-$0)) }, rtol: 1e-5, atol: 1e-6) == nil)
        }

        @Test(arguments: [Ops.Activation.silu, .geluTanh])
        func gatedGradients(kind: Ops.Activation) {
            let x = randomTensor([3, 2 * 11], seed: 6), y = Tensor(zeros: [3, 11]), dx = Tensor(zeros: x.shape)
            let f = checkGradients(inputs: [x], grads: [dx], eps: 1e-3) { Ops.gatedForward(kind, x: x, y: y); return y }
                backward: { Ops.gatedBackward(kind, dy: $0, x: x, dx: dx) }
            #expect(f.isEmpty, "\(f)")
        }

        @Test func softmaxGradients() {
            let x = randomTensor([4, 9], seed: 7), y = Tensor(zeros: x.shape), dx = Tensor(zeros: x.shape)
            Ops.softmaxForward(x, y: y)
            for r in 0..<4 { #expect(abs((0..<9).reduce(Float(0)) { $0 + y[r, $1] } - 1) < 1e-5) }
            let f = checkGradients(inputs: [x], grads: [dx], eps: 1e-3) { Ops.softmaxForward(x, y: y); return y }
                backward: { Ops.softmaxBackward(dy: $0, y: y, dx: dx) }
            #expect(f.isEmpty, "\(f)")
        }
    }
}

import Foundation
