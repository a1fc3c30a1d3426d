extension Ops {
    /// Sizes of a patch embedding (a conv with stride = kernel).
    public struct PatchShape {
        public var batch: Int, channels: Int, height: Int, width: Int, patch: Int
        public var gridHeight: Int { height / patch }
        public var gridWidth: Int { width / patch }
        public var patches: Int { gridHeight * gridWidth }
        /// Columns of one im2col row: channels * patch * patch, in PyTorch's (c, ky, kx) weight order.
        public var patchSize: Int { channels * patch * patch }

        public init(batch: Int, channels: Int, height: Int, width: Int, patch: Int) {
            self.batch = batch; self.channels = channels; self.height = height; self.width = width; self.patch = patch
        }
    }
}
