extension Ops {
    /// y (N, C) = table[ids] with table (V, C). Ids come from user data, so out-of-range ids throw.
    public static func embeddingForward(ids: UnsafeBufferPointer<Int32>, table: Tensor, y: Tensor) throws {
        let v = table.dim(0), c = table.dim(1)
        precondition(y.count == ids.count * c, "embedding output must be (N, \(c))")
        for (n, id) in ids.enumerated() {
            guard id >= 0 && Int(id) < v else {
                throw TensorEngineError(.invalidArgument, "token id \(id) at position \(n) outside vocabulary of \(v)")
            }
        }
        let tp = table.pointer, yp = y.pointer
        Parallel.chunks(ids.count, minChunk: 64) { r in
            for n in r { (yp + n * c).update(from: tp + Int(ids[n]) * c, count: c) }
        }
    }

    /// Backward of embedding: dTable[ids[n]] += dy[n]. Serial, since ids may repeat.
    public static func embeddingBackward(ids: UnsafeBufferPointer<Int32>, dy: Tensor, dTable: Tensor) {
        let c = dTable.dim(1), dp = dTable.pointer, dyp = dy.pointer
        for (n, id) in ids.enumerated() {
            let dst = dp + Int(id) * c, src = dyp + n * c
            for i in 0..<c { dst[i] += src[i] }
        }
    }

    /// im2col for a stride = kernel conv: image (B, Cin, H, W) -> cols (B * P, Cin * p * p), one row
    /// per patch in row-major grid order. The conv is then a `linearForward` with the conv weight
    /// (Cout, Cin, p, p) seen as (Cout, Cin * p * p). Pixels past the last full patch are ignored
    /// (as PyTorch's conv does).
    public static func im2col(_ s: PatchShape, image: Tensor, cols: Tensor) {
        precondition(image.count == s.batch * s.channels * s.height * s.width && cols.count == s.batch * s.patches * s.patchSize, "im2col shapes")
        let ip = image.pointer, cp = cols.pointer, p = s.patch, gw = s.gridWidth
        Parallel.chunks(s.batch * s.patches, minChunk: 16) { range in
            for row in range {
                let b = row / s.patches, pi = row % s.patches, py = pi / gw, px = pi % gw
                var dst = cp + row * s.patchSize
                for c in 0..<s.channels {
                    let plane = ip + (b * s.channels + c) * s.height * s.width
                    for ky in 0..<p {
                        (dst).update(from: plane + (py * p + ky) * s.width + px * p, count: p)
                        dst += p
                    }
                }
            }
        }
    }

    /// Backward of im2col: dImage += col2im(dCols).
    public static func col2im(_ s: PatchShape, dCols: Tensor, dImage: Tensor) {
        let ip = dImage.pointer, cp = dCols.pointer, p = s.patch, gw = s.gridWidth
        // Patches never overlap, so rows write disjoint pixels and can run in parallel.
        Parallel.chunks(s.batch * s.patches, minChunk: 16) { range in
            for row in range {
                let b = row / s.patches, pi = row % s.patches, py = pi / gw, px = pi % gw
                var src = cp + row * s.patchSize
                for c in 0..<s.channels {
                    let plane = ip + (b * s.channels + c) * s.height * s.width
                    for ky in 0..<p {
                        let dst = plane + (py * p + ky) * s.width + px * p
                        for kx in 0..<p { dst[kx] += src[kx] }
                        src += p
                    }
                }
            }
        }
    }
}
