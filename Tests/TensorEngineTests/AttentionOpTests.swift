import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct AttentionOps {
        /// Naive attention in Double for one (B, T, H*D) layout.
        static func reference(q: Tensor, k: Tensor, v: Tensor, heads: Int, bias: Tensor?, mask: Tensor?, scale: Double) -> [Float] {
            let b = q.dim(0), tq = q.dim(1), tk = k.dim(1), c = q.dim(2), d = c / heads
            var out = [Float](repeating: 0, count: b * tq * c)
            for bb in 0..<b { for h in 0..<heads { for i in 0..<tq {
                var s = [Double](repeating: 0, count: tk)
                for j in 0..<tk {
                    var acc = 0.0
                    for e in 0..<d { acc += Double(q[bb, i, h * d + e]) * Double(k[bb, j, h * d + e]) }
                    s[j] = acc * scale + (bias.map { Double($0[h, i, j]) } ?? 0)
                    if let mask, mask[bb, j] == 0 { s[j] = -1e30 }
                }
                let mx = s.max()!
                let e = s.map { Foundation.exp($0 - mx) }
                let z = e.reduce(0, +)
                for dd in 0..<d {
                    var acc = 0.0
                    for j in 0..<tk { acc += e[j] / z * Double(v[bb, j, h * d + dd]) }
                    out[(bb * tq + i) * c + h * d + dd] = Float(acc)
                }
            } } }
            return out
        }

        @Test func forwardMatchesReference() {
            try? withThreads { _ in
                let (b, t, heads, d) = (2, 5, 3, 4)
                let q = randomTensor([b, t, heads * d], seed: 1), k = randomTensor([b, t, heads * d], seed: 2)
                let v = randomTensor([b, t, heads * d], seed: 3), bias = randomTensor([heads, t, t], seed: 4)
                let mask = try! Tensor(shape: [b, t], values: [1, 1, 1, 0, 1, 1, 1, 1, 1, 1])
                let out = Tensor(zeros: q.shape), lse = Tensor(zeros: [b, heads, t])
                let shape = Ops.AttentionShape(batch: b, heads: heads, headDim: d, queries: t, keys: t)
                Ops.attentionForward(shape, q: .init(q), k: .init(k), v: .init(v), out: .init(out), bias: bias, keyMask: mask, lse: lse)
                let ref = Self.reference(q: q, k: k, v: v, heads: heads, bias: bias, mask: mask, scale: 1 / 2.0)
                #expect(Tolerance.compare(out.values, ref, rtol: 1e-4, atol: 1e-5) == nil)
            }
        }

        /// Backward walks query rows in blocks (half the queries each): odd counts and a single
        /// query exercise the block edges.
        @Test(arguments: [(3, 4), (1, 4), (5, 2), (6, 6)])
        func crossAttentionGradientsWithBiasAndMask(queries tq: Int, keys tk: Int) {
            try? withThreads { _ in
                let (b, heads, d) = (2, 2, 3)
                let q = randomTensor([b, tq, heads * d], seed: 1), k = randomTensor([b, tk, heads * d], seed: 2)
                let v = randomTensor([b, tk, heads * d], seed: 3), bias = randomTensor([heads, tq, tk], seed: 4)
                let mask = try! Tensor(shape: [b, tk], values: (0..<(b * tk)).map { $0 == 1 ? 0 : 1 })
                let out = Tensor(zeros: q.shape), lse = Tensor(zeros: [b, heads, tq])
                let dq = Tensor(zeros: q.shape), dk = Tensor(zeros: k.shape), dv = Tensor(zeros: v.shape)
                let dBias = Tensor(zeros: bias.shape)
                let shape = Ops.AttentionShape(batch: b, heads: heads, headDim: d, queries: tq, keys: tk)
                let f = checkGradients(inputs: [q, k, v, bias], grads: [dq, dk, dv, dBias], eps: 1e-2) {
                    Ops.attentionForward(shape, q: .init(q), k: .init(k), v: .init(v), out: .init(out), bias: bias, keyMask: mask, lse: lse)
                    return out
                } backward: { dy in
                    Ops.attentionBackward(shape, q: .init(q), k: .init(k), v: .init(v), out: .init(out), dOut: .init(dy),
                                          bias: bias, keyMask: mask, lse: lse, dq: .init(dq), dk: .init(dk), dv: .init(dv), dBias: dBias)
                }
                #expect(f.isEmpty, "\(f)")
            }
        }

        @Test func packedSelfAttentionGradients() {
            let (b, t, heads, d) = (2, 4, 2, 4)
            let qkv = randomTensor([b, t, 3 * heads * d], seed: 11)
            let out = Tensor(zeros: [b, t, heads * d]), lse = Tensor(zeros: [b, heads, t]), dqkv = Tensor(zeros: qkv.shape)
            let shape = Ops.AttentionShape(batch: b, heads: heads, headDim: d, queries: t, keys: t)
            let f = checkGradients(inputs: [qkv], grads: [dqkv]) {
                Ops.attentionForward(shape, q: .init(packed: qkv, index: 0), k: .init(packed: qkv, index: 1),
                                     v: .init(packed: qkv, index: 2), out: .init(out), lse: lse)
                return out
            } backward: { dy in
                Ops.attentionBackward(shape, q: .init(packed: qkv, index: 0), k: .init(packed: qkv, index: 1),
                                      v: .init(packed: qkv, index: 2), out: .init(out), dOut: .init(dy), lse: lse,
                                      dq: .init(packed: dqkv, index: 0), dk: .init(packed: dqkv, index: 1), dv: .init(packed: dqkv, index: 2))
            }
            #expect(f.isEmpty, "\(f)")
        }

        @Test(arguments: [RoPETable.Pairing.half, .interleaved])
        func ropeGradientsAndNorm(pairing: RoPETable.Pairing) throws {
            let (b, t, heads, d) = (2, 6, 2, 8)
            let table = try RoPETable(gridHeight: 2, gridWidth: 2, headDim: d, pairing: pairing, prefixTokens: 2)
            let x = randomTensor([b, t, heads * d], seed: 3), y = Tensor(zeros: x.shape), dx = Tensor(zeros: x.shape)
            let f = checkGradients(inputs: [x], grads: [dx]) {
                y.copy(from: x); Ops.ropeApply(table, x: .init(y), batch: b, tokens: t, heads: heads); return y
            } backward: { dy in
                let g = Tensor(zeros: dy.shape); g.copy(from: dy)
                Ops.ropeApply(table, x: .init(g), batch: b, tokens: t, heads: heads, inverse: true)
                Ops.accumulate(g, into: dx)
            }
            #expect(f.isEmpty, "\(f)")
            // Prefix tokens are not rotated; rotations preserve norms.
            y.copy(from: x); Ops.ropeApply(table, x: .init(y), batch: b, tokens: t, heads: heads)
            #expect(y[0, 1, 5] == x[0, 1, 5])
            #expect(abs(FastMath.dot(y.pointer, y.pointer, y.count) - FastMath.dot(x.pointer, x.pointer, x.count)) < 1e-2)
        }
    }
}

import Foundation

extension EngineTests.AttentionOps {
    @Test func relativePositionBiasGather() throws {
        let table = randomTensor([5, 2], seed: 1)                 // (buckets, heads)
        let buckets: [Int32] = [0, 1, 2, 4, 0, 3]                   // (Tq 2, Tk 3)
        let bias = Tensor(zeros: [2, 2, 3]), dTable = Tensor(zeros: table.shape)
        let f = checkGradients(inputs: [table], grads: [dTable]) {
            try! buckets.withUnsafeBufferPointer { try Ops.relativePositionBiasForward(table: table, buckets: $0, bias: bias) }
            return bias
        } backward: { dy in buckets.withUnsafeBufferPointer { Ops.relativePositionBiasBackward(dBias: dy, buckets: $0, dTable: dTable) } }
        #expect(f.isEmpty, "\(f)")
        try buckets.withUnsafeBufferPointer { try Ops.relativePositionBiasForward(table: table, buckets: $0, bias: bias) }
        #expect(bias[1, 1, 0] == table[4, 1])
        let bad: [Int32] = [5]
        #expect(throws: TensorEngineError.self) {
            try bad.withUnsafeBufferPointer { try Ops.relativePositionBiasForward(table: table, buckets: $0, bias: Tensor(zeros: [2, 1, 1])) }
        }
    }
}
