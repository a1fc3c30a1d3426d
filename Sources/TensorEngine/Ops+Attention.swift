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
        let threads = Engine.threads
        let scratchP = Scratch.floats(threads * tile, slot: .attention)
        let scratchD = Scratch.floats(threads * (tile + tq), slot: .attentionGrad)
        let biasP = bias?.pointer, maskP = keyMask?.pointer, lseP = lse.pointer, dBiasP = dBias?.pointer
        let beta: Float = accumulate ? 1 : 0
        // With a bias gradient, all batch items of one head go to the same worker so dBias[h] has one writer.
        let items = dBias == nil ? s.batch * heads : heads
        Engine.withSerialBLAS {
            Parallel.chunksIndexed(items) { t, range in
                let pt = scratchP + t * tile, dpt = scratchD + t * (tile + tq), rowDot = dpt + tile
                let pm = Matrix(pt, rows: tq, cols: tk), dpm = Matrix(dpt, rows: tq, cols: tk)
                for item in range {
                    let h = dBias == nil ? item % heads : item
                    let bRange = dBias == nil ? (item / heads)..<(item / heads + 1) : 0..<s.batch
                    for b in bRange {
                        let qh = q.head(b, h, headDim: d, rows: tq), kh = k.head(b, h, headDim: d, rows: tk)
                        let vh = v.head(b, h, headDim: d, rows: tk), oh = out.head(b, h, headDim: d, rows: tq)
                        let doh = dOut.head(b, h, headDim: d, rows: tq)
                        // Recompute P = exp(S - lse).
                        gemm(qh, transA: false, kh, transB: true, pm, alpha: s.scale)
                        addBiasAndMask(pt, tq: tq, tk: tk, bias: biasP.map { $0 + h * tile }, mask: maskP.map { $0 + b * tk })
                        let l = lseP + (b * heads + h) * tq
                        for i in 0..<tq {
                            let row = pt + i * tk, li = l[i]
                            let liv = FastMath.V(repeating: li)
                            var j = 0
                            while j + 8 <= tk { FastMath.store(FastMath.exp(FastMath.load(row + j) - liv), row + j); j += 8 }
                            if j < tk { FastMath.storePartial(FastMath.exp(FastMath.loadPartial(row + j, tk - j) - liv), row + j, tk - j) }
                            // rowsum(dO * O) for this query.
                            rowDot[i] = FastMath.dot(doh.pointer + i * doh.ld, oh.pointer + i * oh.ld, d)
                        }
                        gemm(pm, transA: true, doh, transB: false, dv.head(b, h, headDim: d, rows: tk), beta: beta)
                        gemm(doh, transA: false, vh, transB: true, dpm)
                        for i in 0..<tq {
                            let pr = pt + i * tk, dr = dpt + i * tk, di = rowDot[i]
                            for j in 0..<tk { dr[j] = pr[j] * (dr[j] - di) }
                        }
                        if let dBiasP {
                            let db = dBiasP + h * tile
                            for i in 0..<tile { db[i] += dpt[i] }
                        }
                        gemm(dpm, transA: false, kh, transB: false, dq.head(b, h, headDim: d, rows: tq), alpha: s.scale, beta: beta)
                        gemm(dpm, transA: true, qh, transB: false, dk.head(b, h, headDim: d, rows: tk), alpha: s.scale, beta: beta)
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
