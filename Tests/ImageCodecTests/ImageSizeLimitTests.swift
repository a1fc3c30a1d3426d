import Foundation
import Testing
@testable import ImageCodec

@Test func hugeJPEGHeaderIsRefusedBeforeDecoding() throws {
    // A 16x16 file whose frame header claims 30000x30000: decoding it would allocate 2.7 GB of pixels
    // (and 5.4 GB of coefficients if it were progressive) before running out of data.
    let bomb = CraftedImageFiles.jpeg(try JPEG.encode(blocksImage(width: 16, height: 16)), claimingWidth: 30_000, height: 30_000)
    for minimumSide in [0, 64] {
        let error = codecError { _ = try JPEG.decode(bomb, minimumSide: minimumSide) }
        #expect(error?.code == .tooLarge, "\(String(describing: error))")
        #expect(error?.message.contains("30000x30000") == true, "\(String(describing: error))")
        #expect(error?.message.contains("limit of \(ImageSizeLimit.defaultMaximumPixels) pixels") == true)
    }
}

@Test func hugePNGHeaderIsRefusedBeforeDecoding() throws {
    // 16000 per side passes a per-side cap of 16384 but would need 1.8 GB of decode buffers.
    let error = codecError { _ = try PNG.decode(CraftedImageFiles.pngHeader(width: 16_000, height: 16_000)) }
    #expect(error?.code == .tooLarge, "\(String(describing: error))")
    #expect(error?.message.contains("16000x16000") == true, "\(String(describing: error))")
    #expect(error?.message.contains("limit of \(ImageSizeLimit.defaultMaximumPixels) pixels") == true)
    // A long thin image is judged by its pixel count, not its sides.
    let wide = codecError { _ = try PNG.decode(CraftedImageFiles.pngHeader(width: 1 << 30, height: 1)) }
    #expect(wide?.code == .tooLarge, "\(String(describing: wide))")
}

@Test func limitIsThePixelCountOfTheHeader() throws {
    let jpeg = try JPEG.encode(blocksImage(width: 64, height: 48))
    #expect(codecError { _ = try JPEG.decode(jpeg, maximumPixels: 64 * 48 - 1) }?.code == .tooLarge)
    // The limit applies to the stored size even when the output is scaled down below it.
    #expect(codecError { _ = try JPEG.decode(jpeg, minimumSide: 6, maximumPixels: 64 * 48 - 1) }?.code == .tooLarge)
    #expect(try JPEG.decode(jpeg, maximumPixels: 64 * 48).width == 64)

    let png = try PNG.encode(RGBImage(width: 13, height: 7, filledWith: RGBColor(1, 2, 3)))
    #expect(codecError { _ = try PNG.decode(png, maximumPixels: 13 * 7 - 1) }?.code == .tooLarge)
    #expect(try PNG.decode(png, maximumPixels: 13 * 7).width == 13)
    #expect(codecError { _ = try PNG.decode(png, maximumPixels: 0) }?.code == .invalidArgument)
    #expect(codecError { _ = try JPEG.decode(jpeg, minimumSide: -1) }?.code == .invalidArgument)
}

@Test func interlacedAndStreamedPNGsDecodeAlike() throws {
    // Non-interlaced PNGs are decoded row by row, interlaced ones whole: both give the same pixels.
    let pixel: (Int, Int) -> [UInt8] = { x, y in [UInt8(x * 20), UInt8(y * 30), UInt8((x * y) % 256), x == 2 ? 0 : 255] }
    let plain = try PNG.decode(CraftedImageFiles.png(width: 11, height: 7, pixel: pixel))
    let interlaced = try PNG.decode(CraftedImageFiles.png(width: 11, height: 7, interlaced: true, pixel: pixel))
    #expect(plain == interlaced)
    #expect(plain.pixel(x: 3, y: 4) == RGBColor(60, 120, 12))
    #expect(plain.pixel(x: 2, y: 5) == RGBColor(255, 255, 255))  // transparent -> white
}
