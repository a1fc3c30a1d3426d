import Foundation
import ImageCodec
import TestSupport
import Testing
@testable import Dataset

/// `jpeg` with its SOF0 frame header claiming `width` x `height` (the pixel data is unchanged).
private func claimingSize(_ jpeg: Data, width: Int, height: Int) throws -> Data {
    let bytes = [UInt8](jpeg)
    var offset = 2
    // Header segments only (the frame header comes before the scan): FF marker, 2-byte length.
    while offset + 9 < bytes.count, bytes[offset] == 0xFF, bytes[offset + 1] != 0xC0 {
        offset += 2 + (Int(bytes[offset + 2]) << 8) + Int(bytes[offset + 3])
    }
    try #require(offset + 9 < bytes.count && bytes[offset + 1] == 0xC0, "no SOF0 segment")
    var patched = jpeg
    patched.replaceSubrange(offset + 5 ..< offset + 9, with: [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)])
    return patched
}

@Test func jpegBombIsRefusedNamingFileSizeAndLimit() throws {
    let folder = try TestPaths.temporaryDirectory("bomb")
    defer { try? FileManager.default.removeItem(at: folder) }
    let small = try JPEG.encode(RGBImage(width: 16, height: 16, filledWith: RGBColor(9, 9, 9)))
    let bomb = folder.appendingPathComponent("bomb.jpg")
    try claimingSize(small, width: 30_000, height: 30_000).write(to: bomb)
    try writeIndex([#"{"file": "bomb.jpg", "caption": "boom"}"#], in: folder)
    let error = datasetError { _ = try ImageDataset.open(url: folder) }
    #expect(error?.code == .unreadableImage, "\(String(describing: error))")
    for part in ["line 1", "'bomb.jpg'", "30000x30000", "limit of \(ImageSizeLimit.defaultMaximumPixels) pixels"] {
        #expect(error?.message.contains(part) == true, "\(part): \(String(describing: error))")
    }
    let loaded = datasetError { _ = try ImageDataset.loadImage(bomb, side: 64) }
    #expect(loaded?.message.contains(bomb.path) == true && loaded?.message.contains("30000x30000") == true, "\(String(describing: loaded))")
}

@Test func largeJPEGIsDecodedAtReducedScaleForTheDataset() throws {
    let folder = try TestPaths.temporaryDirectory("large-jpeg")
    defer { try? FileManager.default.removeItem(at: folder) }
    let photo = RGBImage(width: 640, height: 512) { x, y in
        RGBColor(UInt8(x * 255 / 639), UInt8(y * 255 / 511), (x / 80 + y / 64) % 2 == 0 ? 30 : 220)
    }
    let data = try JPEG.encode(photo, quality: 95)
    // The shorter side 512 at 1/8 is 64: the dataset decodes 80x64 pixels instead of 640x512.
    let scaled = try ImageFileDecoder.decode(data, side: 64)
    #expect(scaled.width == 80 && scaled.height == 64)
    try data.write(to: folder.appendingPathComponent("photo.jpg"))
    try writeIndex([#"{"file": "photo.jpg", "caption": "a photo"}"#], in: folder)
    let dataset = try ImageDataset.open(url: folder)
    // Close to shrinking the full-size decode: both are box filters over the same area.
    let reference = try ImageResizer.resize(JPEG.decode(data), toSquare: 64)
    #expect(try dataset.image(at: 0).psnr(to: reference) > 30)
}

@Test func oversizedOrSpecialImageFilesAreRefusedBeforeReading() throws {
    let folder = try TestPaths.temporaryDirectory("large-file")
    defer { try? FileManager.default.removeItem(at: folder) }
    let huge = folder.appendingPathComponent("huge.png")
    FileManager.default.createFile(atPath: huge.path, contents: nil)
    let handle = try FileHandle(forWritingTo: huge)
    try handle.truncate(atOffset: UInt64(ImageFileDecoder.maximumFileBytes + 1))  // sparse: no disk used
    try handle.close()
    let error = datasetError { _ = try ImageDataset.loadImage(huge, side: 64) }
    #expect(error?.code == .unreadableImage, "\(String(describing: error))")
    #expect(error?.message.contains("\(huge.path): the file is \(ImageFileDecoder.maximumFileBytes + 1) bytes, more than the limit") == true,
            "\(String(describing: error))")
    let device = datasetError { _ = try ImageDataset.loadImage(URL(fileURLWithPath: "/dev/zero"), side: 64) }
    #expect(device?.message.contains("not a regular file") == true, "\(String(describing: device))")
}
