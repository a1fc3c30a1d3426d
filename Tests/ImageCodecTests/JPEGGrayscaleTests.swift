import Foundation
import Testing
@testable import ImageCodec

/// A 16x8 grayscale JPEG (left half 40, right half 200, quality 95) written by libjpeg with
/// `in_color_space = JCS_GRAYSCALE` (single component), committed as bytes so the test needs no tools.
private let grayscaleFixture = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/wAALCAAIABABAREA/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/9oACAEBAAA/APyfr+oCv//Z"

@Test func grayscaleDecodesToRGB() throws {
    let data = try #require(Data(base64Encoded: grayscaleFixture))
    let image = try JPEG.decode(data)
    #expect(image.width == 16 && image.height == 8)
    for y in 0..<image.height {
        for x in 0..<image.width {
            let pixel = image.pixel(x: x, y: y)
            #expect(pixel.red == pixel.green && pixel.green == pixel.blue)
            let expected = x < 8 ? 40 : 200
            #expect(abs(Int(pixel.red) - expected) <= 6)
        }
    }
}
