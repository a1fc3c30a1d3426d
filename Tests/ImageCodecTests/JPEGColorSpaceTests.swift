import Foundation
import Testing
@testable import ImageCodec

/// A 16x8 CMYK JPEG (all channels 100, quality 95) written by libjpeg with `in_color_space = JCS_CMYK`.
private let cmykFixture = "/9j/7gAOQWRvYmUAZAAAAAAA/9sAQwACAQEBAQECAQEBAgICAgIEAwICAgIFBAQDBAYFBgYGBQYGBgcJCAYHCQcGBggLCAkKCgoKCgYICwwLCgwJCgoK/8AAFAgACAAQBEMRAE0RAFkRAEsRAP/EAB8AAAEFAQEBAQEBAAAAAAAAAAABAgMEBQYHCAkKC//EALUQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+v/aAA4EQwBNAFkASwAAPwDw+vD68Prw+iiiiv/Z"

@Test func cmykIsRejectedWithAClearError() throws {
    let data = try #require(Data(base64Encoded: cmykFixture))
    do {
        _ = try JPEG.decode(data)
        Issue.record("expected an error")
    } catch let error as ImageCodecError {
        #expect(error.code == .unsupportedColorSpace)
        #expect(error.description.contains("CMYK"))
    }
}
