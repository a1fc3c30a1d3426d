import ImageCodec

/// The model's pixel convention: float CHW planes (R, G, B), value = byte / 127.5 - 1, so 0 -> -1 and
/// 255 -> +1 (symmetric around zero, as flow matching and the decoders expect).
public enum PixelNormalization {
    /// byte -> float, looked up rather than computed in the hot loop.
    static let table: [Float] = (0..<256).map { Float($0) / 127.5 - 1 }

    /// One HWC RGB8 image of `pixelCount` pixels into three planes of `output` (3 * pixelCount floats).
    @inline(__always)
    static func normalize(_ source: UnsafePointer<UInt8>, pixelCount: Int, into output: UnsafeMutablePointer<Float>,
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

    /// The inverse, for dumping model outputs: (3, side, side) floats -> RGB8, clamped, rounded to nearest.
    public static func image(fromCHW planes: UnsafeBufferPointer<Float>, side: Int) throws -> RGBImage {
        let pixelCount = side * side
        guard side > 0, planes.count == 3 * pixelCount else {
            throw DatasetError(.invalidArgument, "need 3 * \(side) * \(side) floats, got \(planes.count)")
        }
        var image = RGBImage(width: side, height: side, filledWith: RGBColor(0, 0, 0))
        image.withUnsafeMutablePixels { pixels in
            for pixel in 0..<pixelCount {
                for channel in 0..<3 {
                    let value = (planes[channel * pixelCount + pixel] + 1) * 127.5
                    pixels[pixel * 3 + channel] = ImageResizer.roundToByte(value.isNaN ? 0 : value)
                }
            }
        }
        return image
    }
}
