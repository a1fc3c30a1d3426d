import CPNG
import Foundation

/// PNG decoding of user images and lossless encoding of our own (libpng through the CPNG shim).
///
/// Decoding accepts every colour type and bit depth and returns 8-bit RGB: palette and gray are
/// expanded, 16-bit samples are scaled to 8 bits with rounding, and alpha (including palette or
/// colour-key transparency) is composited over white, because a transparent background most often
/// stands for paper; dropping alpha would expose whatever colour the invisible pixels happen to hold.
/// Gamma and colour-profile chunks are ignored (samples are taken as sRGB).
public enum PNG {
    /// Images whose header states more than `maximumPixels` pixels (width * height) are refused with
    /// `.tooLarge` before their pixels are allocated.
    public static func decode(_ data: Data, maximumPixels: Int = ImageSizeLimit.defaultMaximumPixels) throws -> RGBImage {
        guard maximumPixels > 0 else {
            throw ImageCodecError(.invalidArgument, "PNG decoding needs maximumPixels > 0, got \(maximumPixels)")
        }
        var pixels: UnsafeMutablePointer<UInt8>?
        var width: Int32 = 0
        var height: Int32 = 0
        var message = MessageBuffer()
        let status = data.withUnsafeBytes { bytes in
            message.withPointer { messagePointer, capacity in
                fae_png_decode_rgb(bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count, maximumPixels,
                                   &pixels, &width, &height, messagePointer, capacity)
            }
        }
        defer { fae_png_free(pixels) }
        guard status == Int32(FAE_PNG_OK.rawValue) else {
            let code: ImageCodecError.Code
            switch UInt32(bitPattern: status) {
            case FAE_PNG_TOO_LARGE.rawValue: code = .tooLarge
            case FAE_PNG_OUT_OF_MEMORY.rawValue: code = .outOfMemory
            default: code = .corruptData
            }
            throw ImageCodecError(code, "cannot decode PNG: \(message.text)")
        }
        guard let pixels else { throw ImageCodecError(.corruptData, "PNG decoder returned no pixels") }
        let count = Int(width) * Int(height) * 3
        do {
            return try RGBImage(width: Int(width), height: Int(height),
                                pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
        } catch {
            throw ImageCodecError(.corruptData, "cannot decode PNG: \(error)")
        }
    }

    /// An 8-bit RGB PNG of `image` (zlib's default compression).
    public static func encode(_ image: RGBImage) throws -> Data {
        var output: UnsafeMutablePointer<UInt8>?
        var outputSize = 0
        var message = MessageBuffer()
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            message.withPointer { messagePointer, capacity in
                fae_png_encode_rgb(pixels.baseAddress, Int32(image.width), Int32(image.height),
                                   &output, &outputSize, messagePointer, capacity)
            }
        }
        defer { fae_png_free(output) }
        guard status == Int32(FAE_PNG_OK.rawValue) else {
            throw ImageCodecError(.invalidArgument, "cannot encode PNG: \(message.text)")
        }
        guard let output else { throw ImageCodecError(.outOfMemory, "PNG encoder returned no data") }
        return Data(bytes: output, count: outputSize)
    }
}
