import Foundation
import Testing
@testable import ImageCodec

@Test func smallTargetDecodesAtTheSmallestScaleThatCoversIt() throws {
    let data = try JPEG.encode(blocksImage(width: 200, height: 120))
    // (minimum side, expected output size): scales are M/8 of 200x120, the shorter side decides.
    let cases: [(Int, Int, Int)] = [
        (0, 200, 120), (120, 200, 120), (500, 200, 120),  // full size: no scale is both smaller and large enough
        (64, 125, 75),  // 5/8; 4/8 would give a 60-pixel short side
        (60, 100, 60),  // 4/8 exactly
        (16, 50, 30),   // 2/8
        (15, 25, 15), (1, 25, 15),  // 1/8, the largest reduction libjpeg offers
    ]
    for (minimumSide, width, height) in cases {
        let image = try JPEG.decode(data, minimumSide: minimumSide)
        #expect(image.width == width && image.height == height, "minimum side \(minimumSide): got \(image.width)x\(image.height)")
    }
}

@Test func reducedScaleKeepsTheContent() throws {
    // 16-pixel blocks become 2-pixel blocks at 1/8; the DCT scaling averages each 8x8 block.
    let image = try JPEG.decode(JPEG.encode(blocksImage(width: 128, height: 64)), minimumSide: 8)
    #expect(image.width == 16 && image.height == 8)
    let expected = RGBImage(width: 16, height: 8) { x, y in
        (x / 2 + y / 2) % 2 == 0 ? RGBColor(220, 40, 40) : RGBColor(250, 250, 250)
    }
    #expect(try image.psnr(to: expected) > 30)
}
