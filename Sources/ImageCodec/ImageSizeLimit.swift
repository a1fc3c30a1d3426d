/// How large an image JPEG and PNG decoding accept unless told otherwise: width * height as the file's
/// header states it, checked before any pixel memory is allocated, so a small file that claims a huge
/// size (a decompression bomb) fails at once instead of allocating gigabytes.
public enum ImageSizeLimit {
    /// 8192 x 8192 (about 67 megapixels): more than any camera photo a dataset would hold. At this size
    /// a full-size decode needs about 0.4 GB (3 bytes per pixel, twice while copied into an RGBImage),
    /// plus up to 0.4 GB of coefficients for a progressive JPEG (6 bytes per pixel at any output scale).
    public static let defaultMaximumPixels = 8192 * 8192
}
