import Foundation
import ImageCodec

/// PNG bytes through the CPNG shim over libpng (every colour type and bit depth, to RGB8).
enum PNGFuzzTarget {
    static func run(_ data: Data) {
        if let image = try? PNG.decode(data) {
            precondition(image.pixels.count == image.width * image.height * 3, "decoded \(image.pixels.count) bytes for \(image.width)x\(image.height)")
        }
    }
}
