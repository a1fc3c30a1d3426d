extension Ops {
    /// Views a tensor as (outer, axis, inner) around `axis`.
    @inline(__always)
    static func split3(_ shape: [Int], _ axis: Int) -> (Int, Int, Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// y = x[..., start ..< start + y.dim(axis), ...] along `axis` (token ranges: axis 1 of (B, T, C)).
    public static func narrowForward(_ x: Tensor, axis: Int, start: Int, y: Tensor) {
        let (outer, n, inner) = split3(x.shape, axis)
        let len = y.dim(axis)
        precondition(start >= 0 && start + len <= n && y.count == outer * len * inner, "narrow out of range")
        copyBlocks(src: x.pointer, srcAxis: n, srcStart: start, dst: y.pointer, dstAxis: len, dstStart: 0,
                   len: len, outer: outer, inner: inner, accumulate: false)
    }

    /// Backward of narrow: dx[..., start ..< start + len, ...] += dy.
    public static func narrowBackward(dy: Tensor, axis: Int, start: Int, dx: Tensor) {
        let (outer, n, inner) = split3(dx.shape, axis)
        let len = dy.dim(axis)
        copyBlocks(src: dy.pointer, srcAxis: len, srcStart: 0, dst: dx.pointer, dstAxis: n, dstStart: start,
                   len: len, outer: outer, inner: inner, accumulate: true)
    }

    /// y = concat(xs, axis): e.g. [CLS] + patch tokens, or text + image streams of joint attention.
    public static func concatForward(_ xs: [Tensor], axis: Int, y: Tensor) {
        let (outer, n, inner) = split3(y.shape, axis)
        var start = 0
        for x in xs {
            let len = x.dim(axis)
            copyBlocks(src: x.pointer, srcAxis: len, srcStart: 0, dst: y.pointer, dstAxis: n, dstStart: start,
                       len: len, outer: outer, inner: inner, accumulate: false)
            start += len
        }
        precondition(start == n, "concat sizes \(xs.map(\.shape)) do not fill \(y.shape) along axis \(axis)")
    }

    /// Backward of concat (= split): dxs[i] (+)= the matching slice of dy. Nil entries are skipped.
    public static func concatBackward(dy: Tensor, axis: Int, dxs: [Tensor?], sizes: [Int], accumulate: Bool = true) {
        let (outer, n, inner) = split3(dy.shape, axis)
        var start = 0
        for (dx, len) in zip(dxs, sizes) {
            if let dx {
                copyBlocks(src: dy.pointer, srcAxis: n, srcStart: start, dst: dx.pointer, dstAxis: len, dstStart: 0,
                           len: len, outer: outer, inner: inner, accumulate: accumulate)
            }
            start += len
        }
    }

    private static func copyBlocks(src: UnsafeMutablePointer<Float>, srcAxis: Int, srcStart: Int,
                                   dst: UnsafeMutablePointer<Float>, dstAxis: Int, dstStart: Int,
                                   len: Int, outer: Int, inner: Int, accumulate: Bool) {
        let block = len * inner
        Parallel.chunks(outer, minChunk: max(1, 16384 / max(block, 1))) { range in
            for o in range {
                let s = src + (o * srcAxis + srcStart) * inner, d = dst + (o * dstAxis + dstStart) * inner
                if accumulate { for i in 0..<block { d[i] += s[i] } } else { d.update(from: s, count: block) }
            }
        }
    }

    /// y = x.permute(order) for rank <= 4 (e.g. (B, T, H, D) -> (B, H, T, D)); y has the permuted shape.
    public static func permuteForward(_ x: Tensor, order: [Int], y: Tensor) {
        permuteCopy(x.pointer, shape: x.shape, order: order, y.pointer, accumulate: false)
    }

    /// Backward of permute: dx (+)= dy.permute(inverse(order)).
    public static func permuteBackward(dy: Tensor, order: [Int], dx: Tensor, accumulate: Bool = true) {
        var inverse = [Int](repeating: 0, count: order.count)
        for (i, o) in order.enumerated() { inverse[o] = i }
        permuteCopy(dy.pointer, shape: dy.shape, order: inverse, dx.pointer, accumulate: accumulate)
    }

    /// Swaps the last two axes: (..., M, N) -> (..., N, M).
    public static func transposeForward(_ x: Tensor, y: Tensor) {
        let r = x.rank
        permuteForward(x, order: Array(0..<(r - 2)) + [r - 1, r - 2], y: y)
    }

    private static func permuteCopy(_ src: UnsafeMutablePointer<Float>, shape: [Int], order: [Int],
                                    _ dst: UnsafeMutablePointer<Float>, accumulate: Bool) {
        precondition(order.count == shape.count && shape.count <= 4 && Set(order) == Set(0..<shape.count), "bad permutation \(order)")
        // Pad to rank 4 with leading unit axes.
        let pad = 4 - shape.count
        let s = [Int](repeating: 1, count: pad) + shape
        let ord = (0..<pad).map { $0 } + order.map { $0 + pad }
        var srcStride = [Int](repeating: 1, count: 4)
        for i in stride(from: 2, through: 0, by: -1) { srcStride[i] = srcStride[i + 1] * s[i + 1] }
        let outShape = ord.map { s[$0] }
        let st = ord.map { srcStride[$0] }                     // source stride of each output axis
        let (d0, d1, d2, d3) = (outShape[0], outShape[1], outShape[2], outShape[3])
        let (s0, s1, s2, s3) = (st[0], st[1], st[2], st[3])
        Parallel.chunks(d0 * d1, minChunk: 4) { range in
            for ab in range {
                let a = ab / d1, b = ab % d1
                var o = ab * d2 * d3
                for c in 0..<d2 {
                    let base = src + a * s0 + b * s1 + c * s2
                    if accumulate { for e in 0..<d3 { dst[o + e] += base[e * s3] } }
                    else { for e in 0..<d3 { dst[o + e] = base[e * s3] } }
                    o += d3
                }
            }
        }
    }
}
