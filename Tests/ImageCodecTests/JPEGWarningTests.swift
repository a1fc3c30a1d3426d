import Foundation
import Testing
@testable import ImageCodec

/// A 32x16 progressive JPEG (10 scans; left half (200, 40, 40), right half (30, 40, 210), quality 90,
/// 4:4:4) written by libjpeg with `jpeg_simple_progression`, which our encoder does not offer.
private let progressiveFixture = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBT/wgARCAAQACADAREAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAb/xAAXAQEBAQEAAAAAAAAAAAAAAAAACAYH/9oADAMBAAIQAxAAAAGJzfahK0xPYqpnoQStMT2P/8QAFBABAAAAAAAAAAAAAAAAAAAAMP/aAAgBAQABBQIP/8QAFBEBAAAAAAAAAAAAAAAAAAAAMP/aAAgBAwEBPwEP/8QAFBEBAAAAAAAAAAAAAAAAAAAAMP/aAAgBAgEBPwEP/8QAFBABAAAAAAAAAAAAAAAAAAAAMP/aAAgBAQAGPwIP/8QAFBABAAAAAAAAAAAAAAAAAAAAMP/aAAgBAQABPyEP/9oADAMBAAIAAwAAABC0m0n/xAAUEQEAAAAAAAAAAAAAAAAAAAAw/9oACAEDAQE/EA//xAAUEQEAAAAAAAAAAAAAAAAAAAAw/9oACAECAQE/EA//xAAUEAEAAAAAAAAAAAAAAAAAAAAw/9oACAEBAAE/EA//2Q=="

@Test func extraneousBytesBeforeAMarkerAreOnlyAWarning() throws {
    // libjpeg warns "Corrupt JPEG data: 3 extraneous bytes before marker 0xc0" and skips them; the
    // segments themselves are intact, and other decoders show such files as intended.
    let data = try JPEG.encode(blocksImage(width: 64, height: 48))
    let frame = try #require(CraftedImageFiles.jpegMarkers(data).first { $0.marker == 0xC0 })
    var padded = data
    padded.insert(contentsOf: [0x00, 0x13, 0x37], at: frame.offset)
    #expect(try JPEG.decode(padded) == JPEG.decode(data))
    #expect(try JPEG.comment(in: padded) == nil)
}

@Test func missingEndMarkerAfterCompleteDataIsOnlyAWarning() throws {
    // "Premature end of JPEG file" after the last pixel of a single-scan image: nothing is missing.
    let data = try JPEG.encode(blocksImage(width: 64, height: 48))
    #expect(data.suffix(2) == Data([0xFF, 0xD9]))
    #expect(try JPEG.decode(data.prefix(data.count - 2)) == JPEG.decode(data))
}

@Test func truncatedOrDamagedScanDataIsAnError() throws {
    let data = try JPEG.encode(blocksImage(width: 64, height: 48))
    let scan = try #require(CraftedImageFiles.jpegMarkers(data).first { $0.marker == 0xDA })
    let scanData = scan.offset + 2 + (Int(data[scan.offset + 2]) << 8) + Int(data[scan.offset + 3])
    // Cut inside the scan: libjpeg would fill the rest with grey ("premature end of data segment").
    let truncated = codecError { _ = try JPEG.decode(data.prefix((scanData + data.count) / 2)) }
    #expect(truncated?.code == .corruptData, "\(String(describing: truncated))")
    #expect(truncated?.message.contains("premature end of data segment") == true, "\(String(describing: truncated))")
    // All-ones bits (0xFF 0x00 is a stuffed 0xFF) are no valid Huffman code.
    var damaged = data
    for offset in stride(from: scanData + 4, to: scanData + 36, by: 2) {
        damaged[offset] = 0xFF
        damaged[offset + 1] = 0x00
    }
    let bad = codecError { _ = try JPEG.decode(damaged) }
    #expect(bad?.code == .corruptData, "\(String(describing: bad))")
    #expect(bad?.message.contains("Corrupt JPEG data") == true, "\(String(describing: bad))")
}

@Test func progressiveFileMissingScansIsAnError() throws {
    let data = try #require(Data(base64Encoded: progressiveFixture))
    let image = try JPEG.decode(data)
    #expect(image.width == 32 && image.height == 16)
    #expect(image.pixel(x: 4, y: 8).squaredDistance(to: RGBColor(200, 40, 40)) < 100)
    #expect(try JPEG.decode(data, minimumSide: 2).width == 4)
    // Cut before the second scan's tables: the file ends cleanly between scans, with no sign inside
    // the data that anything is missing, yet nine refinement scans are.
    let scans = CraftedImageFiles.jpegMarkers(data).filter { $0.marker == 0xDA }
    #expect(scans.count == 10)
    let secondScanTables = try #require(CraftedImageFiles.jpegMarkers(data).last { $0.marker == 0xC4 && $0.offset < scans[1].offset })
    let error = codecError { _ = try JPEG.decode(data.prefix(secondScanTables.offset)) }
    #expect(error?.code == .corruptData, "\(String(describing: error))")
    #expect(error?.message.contains("Premature end of JPEG file") == true, "\(String(describing: error))")
}
