import Foundation
import Testing
@testable import ImageCodec

/// A deterministic test picture: flat regions with hard edges, like shapes-world renders.
func blocksImage(width: Int = 64, height: Int = 64) -> RGBImage {
    var pixels = [UInt8](repeating: 0, count: width * height * 3)
    for y in 0..<height {
        for x in 0..<width {
            let index = (y * width + x) * 3
            let inBlock = (x / 16 + y / 16) % 2 == 0
            pixels[index] = inBlock ? 220 : 250
            pixels[index + 1] = inBlock ? 40 : 250
            pixels[index + 2] = inBlock ? 40 : 250
        }
    }
    return try! RGBImage(width: width, height: height, pixels: pixels)
}

@Test func roundTripKeepsSizeAndQuality() throws {
    let image = blocksImage(width: 64, height: 48)
    let data = try JPEG.encode(image, quality: 95)
    #expect(data.prefix(2) == Data([0xFF, 0xD8]))
    let decoded = try JPEG.decode(data)
    #expect(decoded.width == 64 && decoded.height == 48)
    #expect(try decoded.psnr(to: image) > 35)
}

@Test func lowerQualityGivesSmallerFiles() throws {
    let image = blocksImage()
    #expect(try JPEG.encode(image, quality: 30).count < JPEG.encode(image, quality: 95).count)
}

@Test func invalidArgumentsAreErrors() throws {
    #expect(throws: ImageCodecError.self) { try JPEG.encode(blocksImage(), quality: 0) }
    #expect(throws: ImageCodecError.self) { try JPEG.encode(blocksImage(), quality: 101) }
    #expect(throws: ImageCodecError.self) { try RGBImage(width: 2, height: 2, pixels: [0, 1, 2]) }
    #expect(throws: ImageCodecError.self) { try RGBImage(width: 0, height: 2, pixels: []) }
}

@Test func psnrOfIdenticalImagesIsInfinite() throws {
    #expect(try blocksImage().psnr(to: blocksImage()) == .infinity)
}
