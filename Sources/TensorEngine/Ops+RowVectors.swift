extension Ops {
    /// A per-sample vector (B, C) stored with row stride `ld` — e.g. one of the shift/scale/gate chunks
    /// of an adaLN projection (B, 6C), addressed without copying.
    public struct RowVectors {
        public var pointer: UnsafeMutablePointer<Float>
        public var ld: Int
        public init(_ pointer: UnsafeMutablePointer<Float>, ld: Int) { self.pointer = pointer; self.ld = ld }
        /// Chunk `index` of width `width` of a (B, k * width) tensor.
        public init(chunk index: Int, width: Int, of t: Tensor) {
            self.init(t.pointer + index * width, ld: t.shape.last!)
        }
    }
}
