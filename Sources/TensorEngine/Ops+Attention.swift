import CBLAS
import Foundation

extension Ops {
    /// Key positions whose mask value is 0 get this score (finite, so fully masked rows stay NaN-free).
    static let maskedScore: Float = -1e30

    /// Scaled-dot-product attention, one (b, h) pair at a time:
    ///   S = scale * Q K^T (+ bias[h]) (masked keys -> -inf), P = softmax(S), O = P V.
    /// `bias` is (H, Tq, Tk) shared over the batch (T5 relative positions); `keyMask` (B, Tk) holds
    /// 1 for keys to attend and 0 for padding. Saves the row log-sum-exp `lse` (B, H, Tq) so backward
    /// recomputes P instead of storing B*H tiles: each worker owns one Tq x Tk scratch tile.
    /// (b, h) pairs run in parallel with single-threaded BLAS inside.
    public static func attentionForward(_ s: AttentionShape, q: HeadLayout, k: HeadLayout, v: HeadLayout,
                                        out: HeadLayout, bias: Tensor? = nil, keyMask: Tensor? = nil, lse: Tensor) {
        let tq = s.queries, tk = s.keys, d = s.headDim, heads = s.heads
        precondition(lse.count >= s.batch * heads * tq, "lse must hold (B, H, Tq)")
        precondition(bias.map { $0.count == heads * tq * tk } ?? true, "attention bias must be (H, Tq, Tk)")
        precondition(keyMask.map { $0.count == s.batch * tk } ?? true, "key mask must be (B, Tk)")
        let tile = tq * tk
        let scratch = Scratch.floats(Engine.threads * tile, slot: .attention)
        let biasP = bias?.pointer, maskP = keyMask?.pointer, lseP = lse.pointer
        Engine.withSerialBLAS {
            Parallel.chunksIndexed(s.batch * heads) { t, items in
                let sc = scratch + t * tile
                let scores = Matrix(sc, rows: tq, cols: tk)
                for item in items {
                    let b = item / heads, h = item % heads
                    gemm(q.head(b, h, headDim: d, rows: tq), transA: false, k.head(b, h, headDim: d, rows: tk),
                         transB: true, scores, alpha: s.scale)
                    addBiasAndMask(sc, tq: tq, tk: tk, bias: biasP.map { $0 + h * tile }, mask: maskP.map { $0 + b * tk })
                    let l = lseP + item * tq
                    for i in 0..<tq { l[i] = softmaxRowInPlace(sc + i * tk, tk) }
                    gemm(scores, transA: false, v.head(b, h, headDim: d, rows: tk), transB: false,
                         out.head(b, h, headDim: d, rows: tq))
                }
            }
        }
    }

    /// Backward of `attentionForward` (flash-attention style, P recomputed from lse):
    ///   dV (+)= P^T dO, dP = dO V^T, dS = P * (dP - rowsum(dO * O)), dQ (+)= scale dS K,
    ///   dK (+)= scale dS^T Q, dBias[h] += sum_b dS.
    /// `out` is the forward output O. Per worker: the P tile and the dP tile.
    public static func attentionBackward(_ s: AttentionShape, q: HeadLayout, k: HeadLayout, v: HeadLayout,
                                         out: HeadLayout, dOut: HeadLayout, bias: Tensor? = nil, keyMask: Tensor? = nil,
                                         lse: Tensor, dq: HeadLayout, dk: HeadLayout, dv: HeadLayout,
                                         dBias: Tensor? = nil, accumulate: Bool = true) {
        let tq = s.queries, tk = s.keys, d = s.headDim, heads = s.heads
        let tile = tq * tk
        // Query rows go in blocks of half the queries: a block's P and dP together fill one
        // (Tq, Tk) tile, so backward holds no more score memory per worker than forward.
        let blockRows = max(1, tq / 2)
        let workspace = max(tile, 2 * blockRows * tk)
        let threads = Engine.threads
        let scratch = Scratch.floats(threads * (workspace + tq), slot: .attentionGrad)
        let biasP = bias?.pointer, maskP = keyMask?.pointer, lseP = lse.pointer, dBiasP = dBias?.pointer
        let beta: Float = accumulate ? 1 : 0
        // With a bias gradient, all batch items of one head go to the same worker so dBias[h] has one writer.
        let items = dBias == nil ? s.batch * heads : heads
        Engine.withSerialBLAS {
            Parallel.chunksIndexed(items) { t, range in
                let pt = scratch + t * (workspace + tq), dpt = pt + blockRows * tk, rowDot = pt + workspace
                for item in range {
                    let h = dBias == nil ? item % heads : item
                    let bRange = dBias == nil ? (item / heads)..<(item / heads + 1) : 0..<s.batch
                    for b in bRange {
                        let qh = q.head(b, h, headDim: d, rows: tq), kh = k.head(b, h, headDim: d, rows: tk)
                        let vh = v.head(b, h, headDim: d, rows: tk), oh = out.head(b, h, headDim: d, rows: tq)
                        let doh = dOut.head(b, h, headDim: d, rows: tq)
                        let dqh = dq.head(b, h, headDim: d, rows: tq)
                        let l = lseP + (b * heads + h) * tq
                        // rowsum(dO * O) per query.
                        for i in 0..<tq { rowDot[i] = FastMath.dot(doh.pointer + i * doh.ld, oh.pointer + i * oh.ld, d) }
                        var i0 = 0
                        while i0 < tq {
                            let rows = min(blockRows, tq - i0)
                            // dV and dK sum over query blocks: the first block applies `beta`, later ones add.
                            let blockBeta: Float = i0 == 0 ? beta : 1
                            let pm = Matrix(pt, rows: rows, cols: tk), dpm = Matrix(dpt, rows: rows, cols: tk)
                            let qb = Matrix(qh.pointer + i0 * qh.ld, rows: rows, cols: d, ld: qh.ld)
                            let dob = Matrix(doh.pointer + i0 * doh.ld, rows: rows, cols: d, ld: doh.ld)
                            let dqb = Matrix(dqh.pointer + i0 * dqh.ld, rows: rows, cols: d, ld: dqh.ld)
                            // Recompute P = exp(S - lse) for this block of queries.
                            gemm(qb, transA: false, kh, transB: true, pm, alpha: s.scale)
                            addBiasAndMask(pt, tq: rows, tk: tk, bias: biasP.map { $0 + h * tile + i0 * tk },
                                           mask: maskP.map { $0 + b * tk })
                            for i in 0..<rows {
                                let row = pt + i * tk
                                let liv = FastMath.V(repeating: l[i0 + i])
                                var j = 0
                                while j + 8 <= tk { FastMath.store(FastMath.exp(FastMath.load(row + j) - liv), row + j); j += 8 }
                                if j < tk { FastMath.storePartial(FastMath.exp(FastMath.loadPartial(row + j, tk - j) - liv), row + j, tk - j) }
                            }
                            gemm(pm, transA: true, dob, transB: false, dv.head(b, h, headDim: d, rows: tk), beta: blockBeta)
                            gemm(dob, transA: false, vh, transB: true, dpm)
                            for i in 0..<rows {
                                let pr = pt + i * tk, dr = dpt + i * tk, di = rowDot[i0 + i]
                                for j in 0..<tk { dr[j] = pr[j] * (dr[j] - di) }
                            }
                            if let dBiasP {
                                let db = dBiasP + h * tile + i0 * tk
                                for i in 0..<(rows * tk) { db[i] += dpt[i] }
                            }
                            gemm(dpm, transA: false, kh, transB: false, dqb, alpha: s.scale, beta: beta)
                            gemm(dpm, transA: true, qb, transB: false, dk.head(b, h, headDim: d, rows: tk), alpha: s.scale, beta: blockBeta)
                            i0 += rows
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    static func addBiasAndMask(_ sc: UnsafeMutablePointer<Float>, tq: Int, tk: Int,
                               bias: UnsafeMutablePointer<Float>?, mask: UnsafeMutablePointer<Float>?) {
        if let bias { for i in 0..<(tq * tk) { sc[i] += bias[i] } }
        if let mask {
            for j in 0..<tk where mask[j] == 0 {
                for i in 0..<tq { sc[i * tk + j] = maskedScore }
            }
        }
    }

    /// Softmax of one row in place; returns its log-sum-exp (max + log(sum exp)).
    @inline(__always)
    static func softmaxRowInPlace(_ row: UnsafeMutablePointer<Float>, _ n: Int) -> Float {
        var mv = FastMath.V(repeating: -Float.greatestFiniteMagnitude)
        var j0 = 0
        while j0 + 8 <= n { let v = FastMath.load(row + j0); mv = mv.replacing(with: v, where: v .> mv); j0 += 8 }
        var mx = mv.max()
        while j0 < n { mx = max(mx, row[j0]); j0 += 1 }
        // Plain loops (no closures capturing the accumulator) keep sumV in a register.
        var sumV = FastMath.V(repeating: 0)
        let mxv = FastMath.V(repeating: mx)
        var j = 0
        while j + 8 <= n {
            let e = FastMath.exp(FastMath.load(row + j) - mxv)
            FastMath.store(e, row + j)
            sumV += e
            j += 8
        }
        var tail: Float = 0
        if j < n {
            let lanes = n - j
            var e = FastMath.exp(FastMath.loadPartial(row + j, lanes) - mxv)
            for z in lanes..<8 { e[z] = 0 }
            FastMath.storePartial(e, row + j, lanes)
            tail = e.sum()
        }
        let sum = sumV.sum() + tail
        let inv = 1 / sum
        for j in 0..<n { row[j] *= inv }
        return mx + Foundation.log(sum)
    }
}
