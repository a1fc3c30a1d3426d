import ImageCodec

/// Brings any image to the model's square size.
///
/// A non-square image is first center-cropped to a square (side = the shorter side; an odd excess
/// drops the extra pixel on the right or bottom): stretching would distort shapes, and letterboxing
/// would invent borders the model then learns to draw. The square is then resized with area averaging
/// (each output pixel is the exact area-weighted mean of the source pixels it covers, a box filter)
/// when shrinking, which avoids aliasing, and with bilinear interpolation (pixel centres at +0.5)
/// when enlarging. Equal sizes are copied exactly. Results are rounded to the nearest 8-bit value.
public enum ImageResizer {
    public static func resize(_ image: RGBImage, toSquare side: Int) throws -> RGBImage {
        let (pixelCount, pixelsOverflow) = side.multipliedReportingOverflow(by: side)
        let (byteCount, bytesOverflow) = pixelCount.multipliedReportingOverflow(by: 3)
        guard side > 0, !pixelsOverflow, !bytesOverflow else {
            throw DatasetError(.invalidArgument, "resize needs a positive side that fits in memory, got \(side)")
        }
        var pixels = [UInt8](repeating: 0, count: byteCount)
        try pixels.withUnsafeMutableBufferPointer { output in
            try resize(image, toSquare: side, into: output)
        }
        do {
            return try RGBImage(width: side, height: side, pixels: pixels)
        } catch {
            throw DatasetError(.invalidArgument, "cannot resize: \(error)")
        }
    }

    /// Writes the `side` x `side` RGB result (HWC) into `output`, which must hold side * side * 3 bytes.
    public static func resize(_ image: RGBImage, toSquare side: Int, into output: UnsafeMutableBufferPointer<UInt8>) throws {
        let (pixelCount, overflow) = side.multipliedReportingOverflow(by: side)
        guard side > 0, !overflow, pixelCount <= Int.max / 3, output.count == pixelCount * 3 else {
            throw DatasetError(.invalidArgument, "resize needs a positive side and side * side * 3 output bytes")
        }
        let crop = min(image.width, image.height)
        let x0 = (image.width - crop) / 2, y0 = (image.height - crop) / 2
        let taps = AxisTaps(source: crop, target: side)
        image.pixels.withUnsafeBufferPointer { source in
            // Horizontal pass over the cropped rows into floats, (crop, side, 3); then vertical pass.
            var rows = [Float](repeating: 0, count: crop * side * 3)
            rows.withUnsafeMutableBufferPointer { rows in
                for y in 0..<crop {
                    let sourceRow = (y0 + y) * image.width * 3 + x0 * 3
                    let rowBase = y * side * 3
                    for x in 0..<side {
                        var r: Float = 0, g: Float = 0, b: Float = 0
                        for tap in taps.range(x) {
                            let index = sourceRow + taps.indices[tap] * 3, weight = taps.weights[tap]
                            r += weight * Float(source[index])
                            g += weight * Float(source[index + 1])
                            b += weight * Float(source[index + 2])
                        }
                        rows[rowBase + x * 3] = r
                        rows[rowBase + x * 3 + 1] = g
                        rows[rowBase + x * 3 + 2] = b
                    }
                }
                let stride = side * 3
                var accumulator = [Float](repeating: 0, count: stride)
                accumulator.withUnsafeMutableBufferPointer { sum in
                    for y in 0..<side {
                        for column in 0..<stride { sum[column] = 0 }
                        for tap in taps.range(y) {
                            let rowBase = taps.indices[tap] * stride, weight = taps.weights[tap]
                            for column in 0..<stride { sum[column] += weight * rows[rowBase + column] }
                        }
                        let outputRow = y * stride
                        for column in 0..<stride { output[outputRow + column] = PixelNormalization.roundToByte(sum[column]) }
                    }
                }
            }
        }
    }
}
