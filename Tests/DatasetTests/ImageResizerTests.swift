import ImageCodec
import Testing
@testable import Dataset

@Test func downscalingAveragesAreas() throws {
    // A 1-pixel checkerboard of 0 and 200 averages to 100 everywhere when halved.
    let checker = RGBImage(width: 128, height: 128) { x, y in (x + y) % 2 == 0 ? RGBColor(0, 0, 0) : RGBColor(200, 200, 200) }
    let halved = try ImageResizer.resize(checker, toSquare: 64)
    #expect(halved.pixels.allSatisfy { $0 == 100 })

    // Quadrants survive exactly; a non-integer ratio (96 -> 64) blends only across the middle seam.
    let quadrants = RGBImage(width: 96, height: 96) { x, y in
        RGBColor(x < 48 ? 0 : 255, y < 48 ? 0 : 255, 60)
    }
    let small = try ImageResizer.resize(quadrants, toSquare: 64)
    #expect(small.pixel(x: 0, y: 0) == RGBColor(0, 0, 60))
    #expect(small.pixel(x: 63, y: 63) == RGBColor(255, 255, 60))
    #expect(small.pixel(x: 31, y: 40) == RGBColor(0, 255, 60))
    // Output column 32 covers source [48, 49.5): entirely the right half.
    #expect(small.pixel(x: 32, y: 0).red == 255)
    // A 3 -> 2 reduction: output 0 covers source [0, 1.5) = (1 * a + 0.5 * b) / 1.5.
    let three = RGBImage(width: 3, height: 3) { x, _ in RGBColor([30, 90, 150][x], 0, 0) }
    let two = try ImageResizer.resize(three, toSquare: 2)
    #expect(two.pixel(x: 0, y: 0).red == 50 && two.pixel(x: 1, y: 1).red == 130)
}

@Test func upscalingIsBilinear() throws {
    let two = RGBImage(width: 2, height: 2) { x, y in RGBColor(x == 0 ? 0 : 200, y == 0 ? 40 : 120, 7) }
    let four = try ImageResizer.resize(two, toSquare: 4)
    // Centres at (i + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    #expect((0..<4).map { four.pixel(x: $0, y: 0).red } == [0, 50, 150, 200])
    #expect((0..<4).map { four.pixel(x: 0, y: $0).green } == [40, 60, 100, 120])
    #expect(four.pixels.enumerated().allSatisfy { $0.offset % 3 != 2 || $0.element == 7 })
}

@Test func nonSquareImagesAreCenterCropped() throws {
    // 96 x 64: the crop is columns 16 ..< 80 and the result is a plain copy.
    let wide = RGBImage(width: 96, height: 64) { x, y in RGBColor(UInt8(x), UInt8(y), x >= 16 && x < 80 ? 1 : 99) }
    let square = try ImageResizer.resize(wide, toSquare: 64)
    #expect(square.pixel(x: 0, y: 5) == RGBColor(16, 5, 1))
    #expect(square.pixel(x: 63, y: 63) == RGBColor(79, 63, 1))
    #expect(square.pixels.enumerated().allSatisfy { $0.offset % 3 != 2 || $0.element == 1 })
    // Tall odd excess: 5 high, 2 wide -> rows 1 ..< 3.
    let tall = RGBImage(width: 2, height: 5) { _, y in RGBColor(UInt8(y * 10), 0, 0) }
    let cropped = try ImageResizer.resize(tall, toSquare: 2)
    #expect(cropped.pixel(x: 0, y: 0).red == 10 && cropped.pixel(x: 1, y: 1).red == 20)
}

@Test func constantImagesStayConstantAtAnyRatio() throws {
    for side in [1, 5, 37, 63, 64, 65, 100, 257] {
        let flat = RGBImage(width: side, height: side + 3, filledWith: RGBColor(17, 128, 255))
        let resized = try ImageResizer.resize(flat, toSquare: 64)
        #expect(resized == RGBImage(width: 64, height: 64, filledWith: RGBColor(17, 128, 255)), "side \(side)")
    }
}
