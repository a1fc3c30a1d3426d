import Foundation
import Testing
@testable import ImageCodec

@Test func truncatedDataIsAnError() throws {
    let data = try JPEG.encode(blocksImage())
    // Cutting only the end marker loses no pixels and is accepted (see JPEGWarningTests).
    for length in [1, 2, 20, data.count / 2, data.count - 8] {
        #expect(throws: ImageCodecError.self) { try JPEG.decode(data.prefix(length)) }
    }
}

@Test func garbageIsAnError() throws {
    #expect(throws: ImageCodecError.self) { try JPEG.decode(Data()) }
    #expect(throws: ImageCodecError.self) { try JPEG.decode(Data("not a jpeg at all".utf8)) }
    #expect(throws: ImageCodecError.self) { try JPEG.comment(in: Data("garbage".utf8)) }
    var corrupted = try JPEG.encode(blocksImage())
    for index in stride(from: corrupted.count / 3, to: corrupted.count - 2, by: 7) { corrupted[index] ^= 0x5A }
    #expect(throws: ImageCodecError.self) { try JPEG.decode(corrupted) }
}

@Test func errorMessagesAreOneLine() throws {
    do {
        _ = try JPEG.decode(Data("nope".utf8))
        Issue.record("expected an error")
    } catch let error as ImageCodecError {
        #expect(error.code == .corruptData)
        #expect(!error.description.contains("\n"))
        #expect(error.description.contains("JPEG"))
    }
}
