import Foundation
import Testing
@testable import ImageCodec

@Test func utf8JSONCommentRoundTrips() throws {
    let comment = #"{"prompt":"a red circle — über 東京","seed":7,"steps":25}"#
    let data = try JPEG.encode(blocksImage(), comment: comment)
    #expect(try JPEG.comment(in: data) == comment)
    // The comment does not disturb the pixels.
    #expect(try JPEG.decode(data).psnr(to: blocksImage()) > 35)
}

@Test func noCommentIsNil() throws {
    #expect(try JPEG.comment(in: JPEG.encode(blocksImage())) == nil)
}

@Test func oversizedCommentIsRejected() throws {
    let comment = String(repeating: "x", count: JPEG.maximumCommentBytes + 1)
    #expect(throws: ImageCodecError.self) { try JPEG.encode(blocksImage(), comment: comment) }
    let largest = String(repeating: "y", count: JPEG.maximumCommentBytes)
    #expect(try JPEG.comment(in: JPEG.encode(blocksImage(), comment: largest)) == largest)
}
