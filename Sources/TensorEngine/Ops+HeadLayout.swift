extension Ops {
    /// Where the heads of one attention operand live: element (b, t, h, d) is at
    /// `pointer[b * batchStride + t * rowStride + h * headDim + d]`. This addresses q, k and v inside
    /// a packed (B, T, 3C) projection, or a plain (B, T, C) tensor, without permuting to (B, H, T, D).
    public struct HeadLayout {
        public var pointer: UnsafeMutablePointer<Float>
        public var rowStride: Int
        public var batchStride: Int

        public init(_ pointer: UnsafeMutablePointer<Float>, rowStride: Int, batchStride: Int) {
            self.pointer = pointer; self.rowStride = rowStride; self.batchStride = batchStride
        }

        /// A plain (B, T, C) tensor.
        public init(_ t: Tensor) {
            precondition(t.rank == 3, "attention operand must be (B, T, C)")
            self.init(t.pointer, rowStride: t.dim(2), batchStride: t.dim(1) * t.dim(2))
        }

        /// Part `index` (0 = q, 1 = k, 2 = v) of a packed (B, T, 3C) tensor.
        public init(packed t: Tensor, index: Int) {
            precondition(t.rank == 3 && t.dim(2) % 3 == 0 && (0..<3).contains(index), "packed qkv must be (B, T, 3C)")
            let c = t.dim(2) / 3
            self.init(t.pointer + index * c, rowStride: t.dim(2), batchStride: t.dim(1) * t.dim(2))
        }

        @inline(__always)
        func head(_ b: Int, _ h: Int, headDim: Int, rows: Int) -> Matrix {
            Matrix(pointer + b * batchStride + h * headDim, rows: rows, cols: headDim, ld: rowStride)
        }
    }
}
