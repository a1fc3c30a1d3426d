import Foundation
import ImageCodec

/// JPEG bytes through the CJPEG shim over libjpeg: full decoding (dataset images) and the
/// header-only comment read (prompt and seed metadata of fetched images).
enum JPEGFuzzTarget {
    static func run(_ data: Data) {
        if let image = try? JPEG.decode(data) {
            precondition(image.pixels.count == image.width * image.height * 3, "decoded \(image.pixels.count) bytes for \(image.width)x\(image.height)")
        }
        _ = try? JPEG.comment(in: data)
    }
}
