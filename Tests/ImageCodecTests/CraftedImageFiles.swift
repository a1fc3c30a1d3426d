import Foundation

/// Small hand-built or hand-edited JPEG and PNG files for the hardening tests, made in code so that no
/// tool or fixture is needed.
enum CraftedImageFiles {
    /// The markers of a JPEG's segments in file order with the offset of their 0xFF byte; entropy-coded
    /// data after each SOS is skipped (0xFF 0x00 stuffing and RSTn markers belong to it).
    static func jpegMarkers(_ data: Data) -> [(marker: UInt8, offset: Int)] {
        let bytes = [UInt8](data)
        var markers: [(UInt8, Int)] = [(0xD8, 0)]
        var offset = 2
        while offset + 3 < bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            markers.append((marker, offset))
            if marker == 0xD9 { break }
            offset += 2 + (Int(bytes[offset + 2]) << 8) + Int(bytes[offset + 3])
            if marker == 0xDA {
                while offset + 1 < bytes.count,
                      !(bytes[offset] == 0xFF && bytes[offset + 1] != 0 && !(0xD0...0xD7).contains(bytes[offset + 1])) {
                    offset += 1
                }
            }
        }
        return markers
    }

    /// `data` with the frame header (SOF0 or SOF2) claiming `width` x `height`; the pixel data is unchanged.
    static func jpeg(_ data: Data, claimingWidth width: Int, height: Int) -> Data {
        guard let frame = jpegMarkers(data).first(where: { $0.marker == 0xC0 || $0.marker == 0xC2 }) else {
            fatalError("no SOF0/SOF2 segment")
        }
        var patched = data
        // SOF: FF Cn, length (2), precision (1), height (2), width (2), ...
        patched[frame.offset + 5] = UInt8(height >> 8)
        patched[frame.offset + 6] = UInt8(height & 0xFF)
        patched[frame.offset + 7] = UInt8(width >> 8)
        patched[frame.offset + 8] = UInt8(width & 0xFF)
        return patched
    }

    /// A PNG of `width` x `height` 8-bit RGBA pixels, interlaced (Adam7) or not, with `pixel(x, y)`
    /// giving (r, g, b, a); the zlib stream uses stored blocks, so no compressor is needed.
    static func png(width: Int, height: Int, interlaced: Bool = false,
                    pixel: (Int, Int) -> [UInt8] = { _, _ in [0, 0, 0, 255] }) -> Data {
        // Adam7 passes as (x0, y0, dx, dy); a non-interlaced image is one pass over every pixel.
        let passes = interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
        var raw: [UInt8] = []
        for (x0, y0, dx, dy) in passes where x0 < width && y0 < height {
            for y in stride(from: y0, to: height, by: dy) {
                raw.append(0)  // filter type None
                for x in stride(from: x0, to: width, by: dx) { raw += pixel(x, y) }
            }
        }
        return pngFile(width: width, height: height, colorType: 6, interlaced: interlaced, idat: zlibStored(raw))
    }

    /// A PNG whose IHDR claims `width` x `height` 8-bit RGB pixels but whose IDAT holds one empty
    /// stored block: a header-only decompression bomb.
    static func pngHeader(width: Int, height: Int) -> Data {
        pngFile(width: width, height: height, colorType: 2, interlaced: false, idat: zlibStored([]))
    }

    private static func pngFile(width: Int, height: Int, colorType: UInt8, interlaced: Bool, idat: [UInt8]) -> Data {
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [8, colorType, 0, 0, interlaced ? 1 : 0]
        file += chunk("IHDR", header) + chunk("IDAT", idat) + chunk("IEND", [])
        return Data(file)
    }

    private static func chunk(_ type: String, _ payload: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + payload
        return bigEndian(UInt32(payload.count)) + body + bigEndian(crc32(body))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks.
    private static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var stream: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let last: UInt8 = offset + length == bytes.count ? 1 : 0
            stream += [last, UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            stream += bytes[offset..<(offset + length)]
            offset += length
        } while offset < bytes.count
        return stream + bigEndian(adler32(bytes))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
