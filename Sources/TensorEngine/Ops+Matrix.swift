extension Ops {
    /// A row-major matrix operand: `rows` x `cols` with leading dimension `ld` (>= cols), so a
    /// column block of a wider buffer (e.g. the q part of a packed qkv activation) is addressable
    /// without a copy.
    public struct Matrix {
        public var pointer: UnsafeMutablePointer<Float>
        public var rows: Int
        public var cols: Int
        public var ld: Int

        public init(_ pointer: UnsafeMutablePointer<Float>, rows: Int, cols: Int, ld: Int? = nil) {
            self.pointer = pointer; self.rows = rows; self.cols = cols; self.ld = ld ?? cols
        }

        /// A tensor (..., C) seen as a (rows, C) matrix.
        public init(_ t: Tensor) { self.init(t.pointer, rows: t.rows, cols: t.shape.last ?? 1) }

        /// Columns `start..<start+count` of this matrix (same rows, same ld).
        public func columns(_ start: Int, _ count: Int) -> Matrix {
            precondition(start >= 0 && start + count <= cols, "column block out of range")
            return Matrix(pointer + start, rows: rows, cols: count, ld: ld)
        }
    }
}
