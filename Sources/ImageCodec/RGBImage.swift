/// An 8-bit RGB image, rows top to bottom, pixels interleaved (HWC: `pixels[(y * width + x) * 3 + channel]`).
public struct RGBImage: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var pixels: [UInt8]

    /// Checks that `pixels` holds exactly `width * height * 3` bytes.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0 else {
            throw ImageCodecError(.invalidImage, "image size must be positive, got \(width)x\(height)")
        }
        let (count, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, count <= Int.max / 3, pixels.count == count * 3 else {
            throw ImageCodecError(.invalidImage, "a \(width)x\(height) RGB image needs \(width)*\(height)*3 bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// An image filled with one colour.
    public init(width: Int, height: Int, filledWith color: RGBColor) {
        precondition(width > 0 && height > 0, "image size must be positive")
        self.width = width
        self.height = height
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        pixels.withUnsafeMutableBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                buffer[index] = color.red
                buffer[index + 1] = color.green
                buffer[index + 2] = color.blue
                index += 3
            }
        }
        self.pixels = pixels
    }

    /// The colour at column `x`, row `y` (both must be inside the image).
    public func pixel(x: Int, y: Int) -> RGBColor {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        let index = (y * width + x) * 3
        return RGBColor(pixels[index], pixels[index + 1], pixels[index + 2])
    }

    /// Direct access to the pixel bytes for hot loops.
    public mutating func withUnsafeMutablePixels<Result>(_ body: (UnsafeMutableBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try pixels.withUnsafeMutableBufferPointer { try body($0) }
    }
}
