import Foundation
import ImageCodec

/// Decodes user image files (JPEG or PNG, told apart by their first bytes, not their names) and
/// resizes them to the model's size.
enum ImageFileDecoder {
    /// Larger files are refused before they are read: 256 MiB is far more than any photo-sized JPEG or
    /// PNG needs, and reading a huge file (or a device) whole would fill memory.
    static let maximumFileBytes = 256 << 20

    /// Decodes `files` (line number in captions.jsonl, path) into consecutive `side` x `side` x 3 slots
    /// of `arena`, in parallel. The error thrown is the one of the first failing line.
    static func decodeAll(_ files: [(line: Int, name: String, url: URL)], side: Int, into arena: UnsafeMutableBufferPointer<UInt8>,
                          threads: Int) throws {
        let bytesPerImage = side * side * 3
        precondition(arena.count == files.count * bytesPerImage, "arena size mismatch")
        var failures = [DatasetError?](repeating: nil, count: files.count)
        let workers = max(1, min(threads, files.count))
        failures.withUnsafeMutableBufferPointer { failures in
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let begin = files.count * worker / workers, end = files.count * (worker + 1) / workers
                for position in begin..<end {
                    let slot = UnsafeMutableBufferPointer(rebasing: arena[position * bytesPerImage ..< (position + 1) * bytesPerImage])
                    do {
                        try decode(files[position].url, side: side, into: slot)
                    } catch let error as DatasetError {
                        failures[position] = error
                    } catch {
                        failures[position] = DatasetError(.unreadableImage, "\(error)")
                    }
                }
            }
        }
        if let index = failures.firstIndex(where: { $0 != nil }), let failure = failures[index] {
            let file = files[index]
            let code: DatasetError.Code = failure.code == .io ? .io : .unreadableImage
            throw DatasetError(code, "\(ImageDataset.indexFileName) line \(file.line): cannot read image '\(file.name)' (\(file.url.path)): \(failure.message)")
        }
    }

    /// One file, decoded and resized into `output` (side * side * 3 bytes).
    static func decode(_ url: URL, side: Int, into output: UnsafeMutableBufferPointer<UInt8>) throws {
        let image = try decode(read(url), side: side)
        if image.width == side && image.height == side {
            image.pixels.withUnsafeBufferPointer { source in
                for offset in 0..<output.count { output[offset] = source[offset] }
            }
        } else {
            try ImageResizer.resize(image, toSquare: side, into: output)
        }
    }

    /// The bytes of an image file of at most `maximumFileBytes`.
    static func read(_ url: URL) throws -> Data {
        try BoundedFileReader.read(url, limit: maximumFileBytes, refusal: .unreadableImage)
    }

    /// JPEG or PNG bytes to RGB8. JPEGs are decoded at the smallest libjpeg scale that still covers
    /// `side` (the resizer crops to the shorter side and shrinks that to `side`), so a large photo
    /// costs a fraction of its full-size memory and time.
    static func decode(_ data: Data, side: Int) throws -> RGBImage {
        let signature = [UInt8](data.prefix(8))
        do {
            if signature.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try PNG.decode(data) }
            if signature.starts(with: [0xFF, 0xD8]) { return try JPEG.decode(data, minimumSide: side) }
        } catch let error as ImageCodecError {
            throw DatasetError(.unreadableImage, error.message)
        }
        if data.isEmpty { throw DatasetError(.unreadableImage, "the file is empty") }
        throw DatasetError(.unreadableImage, "not a JPEG or PNG file")
    }
}
