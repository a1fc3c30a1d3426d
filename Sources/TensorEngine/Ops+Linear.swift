import CBLAS

extension Ops {
    /// C = alpha * op(A) * op(B) + beta * C through cblas_sgemm (row-major).
    @inline(__always)
    public static func gemm(_ a: Matrix, transA: Bool, _ b: Matrix, transB: Bool, _ c: Matrix,
                            alpha: Float = 1, beta: Float = 0) {
        let m = transA ? a.cols : a.rows
        let k = transA ? a.rows : a.cols
        let n = transB ? b.rows : b.cols
        precondition((transB ? b.cols : b.rows) == k && c.rows == m && c.cols == n,
                     "gemm shape mismatch: (\(m)x\(k)) * (\(transB ? b.cols : b.rows)x\(n)) -> (\(c.rows)x\(c.cols))")
        if m == 0 || n == 0 { return }
        let threads = Engine.threads
        if threads > 1 && !Engine.serialBLAS && Engine.gemmThreading == .split && m * n * k >= 1 << 20 {
            // One output block per thread: rows when there are many, else columns (batch-1 inference).
            let splitRows = m >= n || m >= 64 * threads
            Engine.withSerialBLAS {
                Parallel.chunks(splitRows ? m : n, minChunk: 16) { r in
                    if splitRows {
                        let ap = transA ? a.pointer + r.lowerBound : a.pointer + r.lowerBound * a.ld
                        rawGemm(transA, transB, r.count, n, k, alpha, ap, a.ld, b.pointer, b.ld, beta,
                                c.pointer + r.lowerBound * c.ld, c.ld)
                    } else {
                        let bp = transB ? b.pointer + r.lowerBound * b.ld : b.pointer + r.lowerBound
                        rawGemm(transA, transB, m, r.count, k, alpha, a.pointer, a.ld, bp, b.ld, beta,
                                c.pointer + r.lowerBound, c.ld)
                    }
                }
            }
            return
        }
        rawGemm(transA, transB, m, n, k, alpha, a.pointer, a.ld, b.pointer, b.ld, beta, c.pointer, c.ld)
    }

    @inline(__always)
    static func rawGemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                        _ a: UnsafeMutablePointer<Float>, _ lda: Int, _ b: UnsafeMutablePointer<Float>, _ ldb: Int,
                        _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        Engine.flushDenormalsOnThisThread()
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    // MARK: - Linear (PyTorch layout: weight (out, in), bias (out))

    /// y (M, N) = x (M, K) * W^T + b, W (N, K). The bias is pre-filled into y and the GEMM runs with
    /// beta = 1, which fuses the bias add into the GEMM's own pass over y.
    public static func linearForward(x: Matrix, weight: Matrix, bias: UnsafePointer<Float>?, y: Matrix) {
        precondition(weight.cols == x.cols && y.cols == weight.rows && y.rows == x.rows, "linear shapes")
        if let bias {
            let n = y.cols
            Parallel.chunks(y.rows, minChunk: 256) { rows in
                for r in rows { (y.pointer + r * y.ld).update(from: bias, count: n) }
            }
        }
        gemm(x, transA: false, weight, transB: true, y, beta: bias == nil ? 0 : 1)
    }

    /// Backward of `linearForward`: dx (+)= dy W, dW += dy^T x, db += column sums of dy.
    /// Pass nil for gradients that are not needed (e.g. dx of a frozen input).
    public static func linearBackward(dy: Matrix, x: Matrix, weight: Matrix,
                                      dx: Matrix?, dWeight: Matrix?, dBias: UnsafeMutablePointer<Float>?,
                                      accumulate: Bool = true) {
        if let dWeight { gemm(dy, transA: true, x, transB: false, dWeight, beta: 1) }
        if let dBias { columnSum(dy, into: dBias) }
        if let dx { gemm(dy, transA: false, weight, transB: false, dx, beta: accumulate ? 1 : 0) }
    }

    /// out[c] += sum_r m[r, c], parallel over rows with per-thread partial sums.
    public static func columnSum(_ m: Matrix, into out: UnsafeMutablePointer<Float>) {
        let n = m.cols
        let threads = Engine.threads
        let partial = Scratch.floats(threads * n, slot: .reduction)
        partial.update(repeating: 0, count: threads * n)
        Parallel.chunksIndexed(m.rows, minChunk: 64) { t, rows in
            let acc = partial + t * n
            for r in rows {
                let row = m.pointer + r * m.ld
                // Explicit SIMD: the compiler cannot prove acc and row do not alias.
                var c = 0
                while c + 8 <= n { FastMath.store(FastMath.load(acc + c) + FastMath.load(row + c), acc + c); c += 8 }
                while c < n { acc[c] += row[c]; c += 1 }
            }
        }
        for t in 0..<threads { let acc = partial + t * n; for c in 0..<n { out[c] += acc[c] } }
    }

    /// Tensor convenience: y (..., N) = x (..., K) W^T + b.
    public static func linearForward(x: Tensor, weight: Tensor, bias: Tensor?, y: Tensor) {
        precondition(weight.rank == 2 && bias.map { $0.count == weight.dim(0) } ?? true, "linear parameter shapes")
        linearForward(x: Matrix(x), weight: Matrix(weight), bias: bias.map { UnsafePointer($0.pointer) }, y: Matrix(y))
    }

    /// Tensor convenience for `linearBackward`.
    public static func linearBackward(dy: Tensor, x: Tensor, weight: Tensor, dx: Tensor?, dWeight: Tensor?,
                                      dBias: Tensor?, accumulate: Bool = true) {
        linearBackward(dy: Matrix(dy), x: Matrix(x), weight: Matrix(weight), dx: dx.map(Matrix.init),
                       dWeight: dWeight.map(Matrix.init), dBias: dBias?.pointer, accumulate: accumulate)
    }

    // MARK: - Batched matmul

    /// c[i] = op(a[i]) * op(b[i]) for i in 0..<batch, each operand a contiguous (batch, rows, cols)
    /// tensor. Batches run in parallel with single-threaded BLAS inside when there are several.
    public static func batchedMatmulForward(a: Tensor, transA: Bool, b: Tensor, transB: Bool, c: Tensor) {
        precondition(a.rank == 3 && b.rank == 3 && c.rank == 3 && a.dim(0) == b.dim(0) && a.dim(0) == c.dim(0), "bmm ranks")
        forEachBatch(a.dim(0)) { i in
            gemm(slice(a, i), transA: transA, slice(b, i), transB: transB, slice(c, i))
        }
    }

    /// Backward of `batchedMatmulForward`: da (+)= dc op(b)^T..., db likewise (both accumulate).
    public static func batchedMatmulBackward(dc: Tensor, a: Tensor, transA: Bool, b: Tensor, transB: Bool,
                                             da: Tensor?, db: Tensor?) {
        forEachBatch(a.dim(0)) { i in
            let dC = slice(dc, i), A = slice(a, i), B = slice(b, i)
            if let da {
                // C = A B   -> dA = dC B^T ; C = A^T B -> dA = B dC^T ; with B transposed likewise.
                if transA { gemm(B, transA: transB, dC, transB: true, slice(da, i), beta: 1) }
                else { gemm(dC, transA: false, B, transB: !transB, slice(da, i), beta: 1) }
            }
            if let db {
                if transB { gemm(dC, transA: true, A, transB: transA, slice(db, i), beta: 1) }
                else { gemm(A, transA: !transA, dC, transB: false, slice(db, i), beta: 1) }
            }
        }
    }

    @inline(__always)
    private static func slice(_ t: Tensor, _ i: Int) -> Matrix {
        let r = t.dim(1), c = t.dim(2)
        return Matrix(t.pointer + i * r * c, rows: r, cols: c)
    }

    private static func forEachBatch(_ n: Int, _ body: (Int) -> Void) {
        if n == 1 { body(0); return }
        Engine.withSerialBLAS {
            Parallel.chunks(n) { range in for i in range { body(i) } }
        }
    }
}
