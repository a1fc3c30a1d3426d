extension Ops {
    /// Sizes and options of one scaled-dot-product attention call.
    public struct AttentionShape {
        public var batch: Int, heads: Int, headDim: Int, queries: Int, keys: Int
        /// Multiplies q k^T; default 1 / sqrt(headDim). T5 uses 1 (its init folds the scale in).
        public var scale: Float

        public init(batch: Int, heads: Int, headDim: Int, queries: Int, keys: Int, scale: Float? = nil) {
            self.batch = batch; self.heads = heads; self.headDim = headDim
            self.queries = queries; self.keys = keys
            self.scale = scale ?? 1 / Float(headDim).squareRoot()
        }
    }
}
