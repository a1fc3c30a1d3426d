/// The model's pixel convention, shared by inference and training: float CHW planes (R, G, B),
/// value = byte / 127.5 - 1, so 0 -> -1 and 255 -> +1 (symmetric around zero, as flow matching
/// and the decoders expect).
public enum PixelNormalization {
    /// byte -> float, looked up rather than computed in the hot loop.
    public static let table: [Float] = (0..<256).map { Float($0) / 127.5 - 1 }

    /// One HWC RGB8 image of `pixelCount` pixels into three planes of `output` (3 * pixelCount
    /// floats), with `table`. Inlinable: the dataset's batch loader runs it per image.
    @inlinable
    public static func normalize(_ source: UnsafePointer<UInt8>, pixelCount: Int, into output: UnsafeMutablePointer<Float>,
                                 table: UnsafePointer<Float>) {
        let red = output, green = output + pixelCount, blue = output + 2 * pixelCount
        var byte = source
        for pixel in 0..<pixelCount {
            red[pixel] = table[Int(byte[0])]
            green[pixel] = table[Int(byte[1])]
            blue[pixel] = table[Int(byte[2])]
            byte += 3
        }
    }

    /// A float in byte units to the nearest byte, clamped to 0...255. Inlinable: resizing runs it
    /// per sample.
    @inlinable
    public static func roundToByte(_ value: Float) -> UInt8 {
        UInt8(min(255, max(0, value + 0.5)).rounded(.down))
    }

    /// Square RGB images of one size into a (B, 3, side, side) float batch.
    public static func planes(of images: [RGBImage], into output: UnsafeMutableBufferPointer<Float>) throws {
        guard let first = images.first else { return }
        let side = first.width, pixelCount = side * side
        guard images.allSatisfy({ $0.width == side && $0.height == side }), output.count == images.count * 3 * pixelCount else {
            throw ImageCodecError(.invalidArgument, "need \(images.count) square images of one size and room for their planes")
        }
        table.withUnsafeBufferPointer { table in
            for (i, image) in images.enumerated() {
                image.pixels.withUnsafeBufferPointer { source in
                    normalize(source.baseAddress!, pixelCount: pixelCount, into: output.baseAddress! + i * 3 * pixelCount, table: table.baseAddress!)
                }
            }
        }
    }

    /// The inverse, for model outputs: (3, side, side) floats -> RGB8, clamped, rounded to nearest
    /// (NaN -> 0).
    public static func image(fromCHW planes: UnsafeBufferPointer<Float>, side: Int) throws -> RGBImage {
        let pixelCount = side * side
        guard side > 0, planes.count == 3 * pixelCount else {
            throw ImageCodecError(.invalidArgument, "need 3 * \(side) * \(side) floats, got \(planes.count)")
        }
        var image = RGBImage(width: side, height: side, filledWith: RGBColor(0, 0, 0))
        image.withUnsafeMutablePixels { pixels in
            for pixel in 0..<pixelCount {
                for channel in 0..<3 {
                    let value = (planes[channel * pixelCount + pixel] + 1) * 127.5
                    pixels[pixel * 3 + channel] = roundToByte(value.isNaN ? 0 : value)
                }
            }
        }
        return image
    }

    /// A batch of model outputs, (B, 3, side, side) floats, as B images.
    public static func images(fromCHWBatch planes: UnsafeBufferPointer<Float>, side: Int) throws -> [RGBImage] {
        let perImage = 3 * side * side
        guard side > 0, planes.count % perImage == 0 else {
            throw ImageCodecError(.invalidArgument, "need a multiple of 3 * \(side) * \(side) floats, got \(planes.count)")
        }
        return try (0..<planes.count / perImage).map { i in
            try image(fromCHW: UnsafeBufferPointer(rebasing: planes[i * perImage ..< (i + 1) * perImage]), side: side)
        }
    }
}
