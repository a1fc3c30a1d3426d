import Foundation
import ImageCodec
import Testing
import TestSupport

private let pngFixtures = TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/png")

@Test func rgbaIsCompositedOverWhite() throws {
    let image = try PNG.decode(Data(contentsOf: pngFixtures.appendingPathComponent("rgba8.png")))
    #expect(image.width == 2 && image.height == 2)
    #expect(image.pixel(x: 0, y: 0) == RGBColor(255, 0, 0))
    #expect(image.pixel(x: 1, y: 0) == RGBColor(255, 255, 255))  // fully transparent black -> white
    #expect(image.pixel(x: 0, y: 1) == RGBColor(127, 127, 255))  // blue at alpha 128 over white
    #expect(image.pixel(x: 1, y: 1) == RGBColor(0, 255, 0))
}

@Test func paletteWithTransparencyExpands() throws {
    let image = try PNG.decode(Data(contentsOf: pngFixtures.appendingPathComponent("palette4_trns.png")))
    #expect(image.width == 3 && image.height == 1)
    #expect(image.pixel(x: 0, y: 0) == RGBColor(10, 20, 30))
    #expect(image.pixel(x: 1, y: 0) == RGBColor(200, 100, 50))
    #expect(image.pixel(x: 2, y: 0) == RGBColor(255, 255, 255))
}

@Test func sixteenBitIsScaledWithRounding() throws {
    let image = try PNG.decode(Data(contentsOf: pngFixtures.appendingPathComponent("rgb16.png")))
    func scaled(_ value: Int) -> UInt8 { UInt8((value * 255 + 32_767) / 65_535) }
    #expect(image.pixel(x: 0, y: 0) == RGBColor(scaled(0x1234), scaled(0x80FF), scaled(0xFFFF)))
    #expect(image.pixel(x: 1, y: 0) == RGBColor(scaled(0x0000), scaled(0x7F7F), scaled(0x00FF)))
}

@Test func oneBitGrayExpandsToRGB() throws {
    let image = try PNG.decode(Data(contentsOf: pngFixtures.appendingPathComponent("gray1.png")))
    let expected: [UInt8] = [255, 0, 255, 255, 0, 0, 0, 0]
    #expect((0..<8).map { image.pixel(x: $0, y: 0) } == expected.map { RGBColor($0, $0, $0) })
}

@Test func encodeDecodeRoundTripIsLossless() throws {
    let image = RGBImage(width: 13, height: 7) { x, y in RGBColor(UInt8(x * 19), UInt8(y * 36), UInt8((x * y) % 256)) }
    let data = try PNG.encode(image)
    #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    #expect(try PNG.decode(data) == image)
}

@Test func corruptAndTruncatedPNGsAreErrors() throws {
    let data = try PNG.encode(RGBImage(width: 16, height: 16) { x, _ in RGBColor(UInt8(x), 0, 0) })
    for broken in [Data(), Data("not a png at all".utf8), data.prefix(data.count / 2), data.prefix(40)] {
        let error = codecError { _ = try PNG.decode(broken) }
        #expect(error?.code == .corruptData)
        #expect(error?.message.contains("\n") == false)
    }
    var flipped = data
    flipped[flipped.count / 2] ^= 0xFF  // breaks the IDAT CRC or the zlib stream
    #expect(codecError { _ = try PNG.decode(flipped) }?.code == .corruptData)
}
