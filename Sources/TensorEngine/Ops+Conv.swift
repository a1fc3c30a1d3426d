extension Ops {
    // 2D convolution (stride 1, zero padding) as im2col + sgemm, PyTorch layouts:
    // x (B, Cin, H, W), weight (Cout, Cin, k, k), bias (Cout), y (B, Cout, Ho, Wo).
    // Per image, y_b (Cout, Ho*Wo) = W (Cout, Cin*k*k) * cols_b (Cin*k*k, Ho*Wo), so the output is
    // already NCHW and no transpose is needed. Forward keeps cols for the weight gradient.

    /// y = conv(x, weight) + bias; writes the im2col matrices into `columns` (B, Cin*k*k, Ho*Wo),
    /// which backward reads.
    public static func conv2dForward(_ s: ConvShape, x: Tensor, weight: Tensor, bias: Tensor?, y: Tensor, columns: Tensor) {
        precondition(x.count == s.batch * s.inChannels * s.height * s.width, "conv2d input \(x.shape) vs \(s)")
        precondition(weight.count == s.outChannels * s.columnRows && y.count == s.batch * s.outChannels * s.outPixels
                     && columns.count == s.batch * s.columnRows * s.outPixels, "conv2d shapes")
        let k = s.columnRows, n = s.outPixels
        im2col(s, x: x.pointer, columns: columns.pointer)
        for b in 0..<s.batch {
            let yb = y.pointer + b * s.outChannels * n
            if let bias {
                // Bias pre-filled so the GEMM adds into it (beta = 1), as in `linearForward`.
                for o in 0..<s.outChannels { (yb + o * n).update(repeating: bias.pointer[o], count: n) }
            }
            gemm(Matrix(weight.pointer, rows: s.outChannels, cols: k), transA: false,
                 Matrix(columns.pointer + b * k * n, rows: k, cols: n), transB: false,
                 Matrix(yb, rows: s.outChannels, cols: n), beta: bias == nil ? 0 : 1)
        }
    }

    /// Backward of `conv2dForward`: dWeight += dy cols^T, dBias += sums of dy over pixels,
    /// dx (+)= col2im(W^T dy). Pass nil for gradients that are not needed.
    public static func conv2dBackward(_ s: ConvShape, dy: Tensor, weight: Tensor, columns: Tensor,
                                      dx: Tensor?, dWeight: Tensor?, dBias: Tensor?, accumulate: Bool = true) {
        let k = s.columnRows, n = s.outPixels, cout = s.outChannels
        precondition(dy.count == s.batch * cout * n, "conv2d gradient \(dy.shape) vs \(s)")
        if let dx, !accumulate { dx.zero() }
        // Per-image (Cin*k*k, Ho*Wo) gradient of the columns; scratch, since ops never nest.
        let dCols = dx == nil ? nil : Scratch.floats(k * n, slot: .temporary)
        for b in 0..<s.batch {
            let dyb = Matrix(dy.pointer + b * cout * n, rows: cout, cols: n)
            if let dWeight {
                gemm(dyb, transA: false, Matrix(columns.pointer + b * k * n, rows: k, cols: n), transB: true,
                     Matrix(dWeight.pointer, rows: cout, cols: k), beta: 1)
            }
            if let dBias {
                let g = dBias.pointer
                for o in 0..<cout {
                    let row = dyb.pointer + o * n
                    var acc: Float = 0
                    for i in 0..<n { acc += row[i] }
                    g[o] += acc
                }
            }
            if let dx, let dCols {
                gemm(Matrix(weight.pointer, rows: cout, cols: k), transA: true, dyb, transB: false,
                     Matrix(dCols, rows: k, cols: n))
                col2imAdd(s, columns: dCols, dx: dx.pointer + b * s.inChannels * s.height * s.width)
            }
        }
    }

    /// cols[b, (c, ky, kx), (oy, ox)] = x[b, c, oy + ky - p, ox + kx - p], zero outside the image.
    /// Row-wise copies: each (c, ky, kx, oy) is one shifted, clipped run of an input row.
    static func im2col(_ s: ConvShape, x: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>) {
        let kk = s.kernel, p = s.padding, h = s.height, w = s.width, ho = s.outHeight, wo = s.outWidth
        let rowsPerImage = s.columnRows
        Parallel.chunks(s.batch * rowsPerImage, minChunk: 8) { range in
            for r in range {
                let b = r / rowsPerImage, rr = r % rowsPerImage
                let c = rr / (kk * kk), ky = (rr / kk) % kk, kx = rr % kk
                let src = x + (b * s.inChannels + c) * h * w
                let dst = columns + r * ho * wo
                let x0 = max(0, p - kx), x1 = min(wo, w + p - kx)       // valid output columns
                for oy in 0..<ho {
                    let iy = oy + ky - p
                    let out = dst + oy * wo
                    guard iy >= 0 && iy < h && x0 < x1 else { out.update(repeating: 0, count: wo); continue }
                    if x0 > 0 { out.update(repeating: 0, count: x0) }
                    (out + x0).update(from: src + iy * w + x0 + kx - p, count: x1 - x0)
                    if x1 < wo { (out + x1).update(repeating: 0, count: wo - x1) }
                }
            }
        }
    }

    /// Adjoint of `im2col` for one image: dx[c, iy, ix] += dCols[(c, ky, kx), (oy, ox)]. Parallel
    /// over input channels, so no two threads write the same dx element.
    static func col2imAdd(_ s: ConvShape, columns: UnsafeMutablePointer<Float>, dx: UnsafeMutablePointer<Float>) {
        let kk = s.kernel, p = s.padding, h = s.height, w = s.width, ho = s.outHeight, wo = s.outWidth
        Parallel.chunks(s.inChannels) { channels in
            for c in channels {
                let d = dx + c * h * w
                for ky in 0..<kk {
                    for kx in 0..<kk {
                        let src = columns + ((c * kk + ky) * kk + kx) * ho * wo
                        let x0 = max(0, p - kx), x1 = min(wo, w + p - kx)
                        guard x0 < x1 else { continue }
                        for oy in 0..<ho {
                            let iy = oy + ky - p
                            guard iy >= 0 && iy < h else { continue }
                            let srow = src + oy * wo, drow = d + iy * w + kx - p
                            for ox in x0..<x1 { drow[ox] += srow[ox] }
                        }
                    }
                }
            }
        }
    }
}
