extension Ops {
    /// Sizes of a stride-1 2D convolution over NCHW tensors with a square kernel and symmetric zero
    /// padding (output height = height + 2 * padding - kernel + 1; "same" size for kernel 3, padding 1).
    public struct ConvShape: Equatable {
        public var batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int
        public var kernel: Int, padding: Int

        public init(batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int, kernel: Int = 3, padding: Int = 1) {
            self.batch = batch; self.inChannels = inChannels; self.outChannels = outChannels
            self.height = height; self.width = width; self.kernel = kernel; self.padding = padding
        }

        public var outHeight: Int { height + 2 * padding - kernel + 1 }
        public var outWidth: Int { width + 2 * padding - kernel + 1 }
        /// Rows of one image's im2col matrix: inChannels * kernel * kernel, in PyTorch's (c, ky, kx)
        /// weight order, so the (out, in, kh, kw) weight is a (out, columnRows) matrix as stored.
        public var columnRows: Int { inChannels * kernel * kernel }
        /// Output pixels per image (columns of the im2col matrix).
        public var outPixels: Int { outHeight * outWidth }
    }
}
