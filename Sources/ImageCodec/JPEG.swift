import CJPEG
import Foundation

/// Baseline JPEG encoding and decoding (libjpeg through the CJPEG shim), with an optional text
/// comment (a COM segment) for metadata such as the prompt and seed.
public enum JPEG {
    /// The largest comment a single COM segment can carry, in UTF-8 bytes.
    public static let maximumCommentBytes = 65_533

    /// Encodes `image` at `quality` (1...100); `comment` is stored as UTF-8 in one COM segment.
    public static func encode(_ image: RGBImage, quality: Int = 95, comment: String? = nil) throws -> Data {
        guard (1...100).contains(quality) else {
            throw ImageCodecError(.invalidArgument, "JPEG quality must be in 1...100, got \(quality)")
        }
        let commentBytes = Array((comment ?? "").utf8)
        guard commentBytes.count <= maximumCommentBytes else {
            throw ImageCodecError(.invalidArgument, "JPEG comment is \(commentBytes.count) bytes, at most \(maximumCommentBytes) fit")
        }
        var output: UnsafeMutablePointer<UInt8>?
        var outputSize = 0
        var message = MessageBuffer()
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            commentBytes.withUnsafeBufferPointer { commentBuffer in
                message.withPointer { messagePointer, capacity in
                    fae_jpeg_encode_rgb(pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(quality),
                                        commentBuffer.baseAddress, commentBuffer.count,
                                        &output, &outputSize, messagePointer, capacity)
                }
            }
        }
        defer { fae_jpeg_free(output) }
        try check(status, message, action: "encode")
        guard let output else { throw ImageCodecError(.corruptData, "JPEG encoder returned no data") }
        return Data(bytes: output, count: outputSize)
    }

    /// Decodes JPEG bytes to RGB (grayscale JPEGs are expanded to RGB; CMYK is rejected).
    /// Truncated or damaged data is an error, never a partially grey image. Quirks that other decoders
    /// accept (extraneous bytes before a marker, a missing end marker after complete single-scan data)
    /// are tolerated.
    ///
    /// - Parameters:
    ///   - minimumSide: when positive, the image is decoded at the smallest libjpeg scale (1/8, 2/8, ...,
    ///     8/8) whose shorter side is still at least this long, which is far cheaper than decoding at
    ///     full size and shrinking afterwards; images already smaller are decoded at full size.
    ///   - maximumPixels: images whose header states more pixels (width * height) are refused with
    ///     `.tooLarge` before their pixels are allocated.
    public static func decode(_ data: Data, minimumSide: Int = 0,
                              maximumPixels: Int = ImageSizeLimit.defaultMaximumPixels) throws -> RGBImage {
        guard minimumSide >= 0, minimumSide <= Int(Int32.max), maximumPixels > 0 else {
            throw ImageCodecError(.invalidArgument, "JPEG decoding needs minimumSide >= 0 and maximumPixels > 0, got \(minimumSide) and \(maximumPixels)")
        }
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var message = MessageBuffer()
        let status = data.withUnsafeBytes { bytes in
            message.withPointer { messagePointer, capacity in
                fae_jpeg_decode_rgb(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count,
                                    Int32(minimumSide), maximumPixels, &pixels, &width, &height, messagePointer, capacity)
            }
        }
        defer { fae_jpeg_free(pixels) }
        try check(status, message, action: "decode")
        guard let pixels else { throw ImageCodecError(.corruptData, "JPEG decoder returned no pixels") }
        let count = Int(width) * Int(height) * 3
        return try RGBImage(width: Int(width), height: Int(height),
                            pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }

    /// The first COM segment as text (nil if there is none); reads only the headers.
    /// Bytes that are not valid UTF-8 are an error rather than silently replaced.
    public static func comment(in data: Data) throws -> String? {
        var comment: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message = MessageBuffer()
        let status = data.withUnsafeBytes { bytes in
            message.withPointer { messagePointer, capacity in
                fae_jpeg_read_comment(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count,
                                      &comment, &length, messagePointer, capacity)
            }
        }
        defer { fae_jpeg_free(comment) }
        try check(status, message, action: "read the comment of")
        guard let comment else { return nil }
        let bytes = UnsafeBufferPointer(start: comment, count: length)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ImageCodecError(.corruptData, "JPEG comment is not valid UTF-8")
        }
        return text
    }

    private static func check(_ status: Int32, _ message: MessageBuffer, action: String) throws {
        guard status != Int32(FAE_JPEG_OK.rawValue) else { return }
        let code: ImageCodecError.Code
        switch UInt32(bitPattern: status) {
        case FAE_JPEG_INVALID_ARGUMENT.rawValue: code = .invalidArgument
        case FAE_JPEG_UNSUPPORTED_COLOR.rawValue: code = .unsupportedColorSpace
        case FAE_JPEG_OUT_OF_MEMORY.rawValue: code = .outOfMemory
        case FAE_JPEG_TOO_LARGE.rawValue: code = .tooLarge
        default: code = .corruptData
        }
        throw ImageCodecError(code, "cannot \(action) JPEG: \(message.text)")
    }
}
