import ImageCodec
import Testing

/// RGB8 <-> the model's float planes: byte / 127.5 - 1 per channel plane, and back.
@Suite struct PixelNormalizationTests {
    static func gradient(side: Int, offset: Int) -> RGBImage {
        var image = RGBImage(width: side, height: side, filledWith: RGBColor(0, 0, 0))
        image.withUnsafeMutablePixels { pixels in
            for i in 0..<pixels.count { pixels[i] = UInt8((i * 7 + offset) % 256) }
        }
        return image
    }

    @Test func planesAreChannelMajorAndRoundTrip() throws {
        let images = [Self.gradient(side: 8, offset: 0), Self.gradient(side: 8, offset: 100)]
        let floatsPerImage = 3 * 8 * 8
        var batch = [Float](repeating: .nan, count: images.count * floatsPerImage)
        try batch.withUnsafeMutableBufferPointer { try PixelNormalization.planes(of: images, into: $0) }
        for (b, image) in images.enumerated() {
            for (x, y) in [(0, 0), (7, 0), (3, 5), (7, 7)] {
                let color = image.pixel(x: x, y: y)
                for (channel, value) in [color.red, color.green, color.blue].enumerated() {
                    #expect(abs(batch[b * floatsPerImage + channel * 64 + y * 8 + x] - (Float(value) / 127.5 - 1)) < 1e-6)
                }
            }
        }
        #expect(batch.allSatisfy { $0 >= -1 && $0 <= 1 })
        let slice = Array(batch[floatsPerImage...])
        #expect(try slice.withUnsafeBufferPointer { try PixelNormalization.image(fromCHW: $0, side: 8) } == images[1])
        #expect(try batch.withUnsafeBufferPointer { try PixelNormalization.images(fromCHWBatch: $0, side: 8) } == images)
    }

    /// Outputs outside [-1, 1] clamp to 0 and 255; NaN becomes byte 0.
    @Test func inverseClampsAndRounds() throws {
        var planes = [Float](repeating: 0, count: 3)
        planes[0] = -3; planes[1] = .nan; planes[2] = 5
        let image = try planes.withUnsafeBufferPointer { try PixelNormalization.image(fromCHW: $0, side: 1) }
        #expect(image.pixel(x: 0, y: 0) == RGBColor(0, 0, 255))
        #expect(PixelNormalization.roundToByte(127.49) == 127 && PixelNormalization.roundToByte(127.5) == 128)
        #expect(PixelNormalization.roundToByte(-4) == 0 && PixelNormalization.roundToByte(300) == 255)
    }

    @Test func wrongSizesAreInvalidArguments() {
        let batch = [Float](repeating: 0, count: 3 * 64)
        let ragged = codecError { _ = try batch.dropLast().withUnsafeBufferPointer { try PixelNormalization.images(fromCHWBatch: $0, side: 8) } }
        #expect(ragged?.code == .invalidArgument)
        let short = codecError { _ = try batch.dropLast().withUnsafeBufferPointer { try PixelNormalization.image(fromCHW: $0, side: 8) } }
        #expect(short?.code == .invalidArgument)
        var room = [Float](repeating: 0, count: 2 * 3 * 64)
        let mixed = codecError {
            try room.withUnsafeMutableBufferPointer {
                try PixelNormalization.planes(of: [Self.gradient(side: 8, offset: 0), Self.gradient(side: 4, offset: 0)], into: $0)
            }
        }
        #expect(mixed?.code == .invalidArgument)
    }
}
