import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct ShapeOps {
        @Test func permuteMatchesIndexing() {
            let x = randomTensor([2, 3, 4, 5], seed: 1), y = Tensor(zeros: [2, 4, 3, 5])
            Ops.permuteForward(x, order: [0, 2, 1, 3], y: y)
            #expect(y[1, 3, 2, 4] == x[1, 2, 3, 4])
            let dx = Tensor(zeros: x.shape)
            let f = checkGradients(inputs: [x], grads: [dx]) { Ops.permuteForward(x, order: [0, 2, 1, 3], y: y); return y }
                backward: { Ops.permuteBackward(dy: $0, order: [0, 2, 1, 3], dx: dx) }
            #expect(f.isEmpty, "\(f)")
            let m = randomTensor([3, 4], seed: 2), mt = Tensor(zeros: [4, 3])
            Ops.transposeForward(m, y: mt)
            #expect(mt[3, 1] == m[1, 3])
        }

        @Test func concatAndNarrowGradients() {
            let a = randomTensor([2, 1, 3], seed: 1), b = randomTensor([2, 4, 3], seed: 2), y = Tensor(zeros: [2, 5, 3])
            let da = Tensor(zeros: a.shape), db = Tensor(zeros: b.shape)
            var f = checkGradients(inputs: [a, b], grads: [da, db]) { Ops.concatForward([a, b], axis: 1, y: y); return y }
                backward: { Ops.concatBackward(dy: $0, axis: 1, dxs: [da, db], sizes: [1, 4]) }
            #expect(f.isEmpty, "\(f)")
            #expect(y[1, 0, 2] == a[1, 0, 2] && y[1, 3, 1] == b[1, 2, 1])
            let x = randomTensor([2, 5, 3], seed: 3), s = Tensor(zeros: [2, 2, 3]), dx = Tensor(zeros: x.shape)
            f = checkGradients(inputs: [x], grads: [dx]) { Ops.narrowForward(x, axis: 1, start: 2, y: s); return s }
                backward: { Ops.narrowBackward(dy: $0, axis: 1, start: 2, dx: dx) }
            #expect(f.isEmpty, "\(f)")
            #expect(s[1, 0, 0] == x[1, 2, 0])
        }

        @Test func embeddingLookupAndGradient() throws {
            let table = randomTensor([7, 4], seed: 1), y = Tensor(zeros: [5, 4]), dTable = Tensor(zeros: table.shape)
            let ids: [Int32] = [3, 0, 3, 6, 1]
            let f = checkGradients(inputs: [table], grads: [dTable]) {
                ids.withUnsafeBufferPointer { try! Ops.embeddingForward(ids: $0, table: table, y: y) }; return y
            } backward: { dy in ids.withUnsafeBufferPointer { Ops.embeddingBackward(ids: $0, dy: dy, dTable: dTable) } }
            #expect(f.isEmpty, "\(f)")
            let bad: [Int32] = [7]
            #expect(throws: TensorEngineError.self) {
                try bad.withUnsafeBufferPointer { try Ops.embeddingForward(ids: $0, table: table, y: Tensor(zeros: [1, 4])) }
            }
        }

        @Test func patchEmbeddingMatchesConvolution() throws {
            let layer = PatchEmbedding(channels: 2, dim: 3, patch: 2)
            var rng = RandomGenerator(seed: 5)
            layer.initialize(&rng)
            let image = randomTensor([2, 2, 4, 6], seed: 6)
            let y = try layer.forward(image)                       // (2, 6, 3)
            #expect(y.shape == [2, 6, 3])
            // Patch (row 1, col 2) of sample 1, output channel 2.
            var ref = layer.bias.value[2]
            for c in 0..<2 { for ky in 0..<2 { for kx in 0..<2 {
                ref += layer.weight.value[2, c, ky, kx] * image[1, c, 2 + ky, 4 + kx]
            } } }
            #expect(abs(y[1, 5, 2] - ref) < 1e-5)
            layer.needsInputGradient = true
            let dImage = Tensor(zeros: image.shape)
            let f = checkGradients(inputs: [image, layer.weight.value, layer.bias.value],
                                   grads: [dImage, layer.weight.grad, layer.bias.grad]) { try! layer.forward(image) }
                backward: { dy in Ops.accumulate(layer.backward(dy)!, into: dImage) }
            #expect(f.isEmpty, "\(f)")
            #expect(throws: TensorEngineError.self) { try layer.forward(Tensor(zeros: [1, 3, 4, 4])) }
        }
    }
}
