import Foundation
import ImageCodec

extension ImageDataset {
    /// Opens a dataset folder: `captions.jsonl` (one `{"file": ..., "caption": ...}` per line, optional
    /// `"scene"`) plus JPEG/PNG images of any size (center-cropped and resized to `imageSize`, see
    /// `ImageResizer`), and/or raw shards described by `dataset.json` (mapped, not copied).
    /// `threads` bounds the parallel JSON parsing and image decoding.
    public static func open(url: URL, imageSize: Int = 64,
                            threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> ImageDataset {
        guard imageSize > 0 else { throw DatasetError(.invalidArgument, "image size must be positive, got \(imageSize)") }
        let folder = url.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetError(.io, "dataset folder \(folder.path) does not exist")
        }
        let manifest = try readManifest(in: folder, imageSize: imageSize)
        let indexURL = folder.appendingPathComponent(indexFileName)
        guard FileManager.default.fileExists(atPath: indexURL.path) else {
            throw DatasetError(.io, "no \(indexFileName) in \(folder.path)")
        }
        let index: Data
        do {
            index = try Data(contentsOf: indexURL, options: .alwaysMapped)
        } catch {
            throw DatasetError(.io, "cannot read \(indexURL.path): \(error.localizedDescription)")
        }
        let lines = try CaptionIndexParser.parse(index, threads: threads)

        // Map the shards and point each raw-shard entry at its bytes; collect the image files to decode.
        let bytesPerImage = imageSize * imageSize * 3
        var shards: [String: MappedFile] = [:]
        for shard in manifest?.shards ?? [] {
            let path = folder.appendingPathComponent(shard.file).path
            let mapped = try MappedFile(path: path)
            guard mapped.count == shard.count * bytesPerImage else {
                throw DatasetError(.malformedIndex, "\(shard.file) holds \(mapped.count) bytes, \(manifestFileName) promises \(shard.count) images of \(bytesPerImage) bytes")
            }
            shards[shard.file] = mapped
        }
        var pixelStarts = [UnsafePointer<UInt8>?](repeating: nil, count: lines.count)
        var filesToDecode: [(slot: Int, line: Int, name: String, url: URL)] = []
        for (slot, line) in lines.enumerated() {
            let record = line.entry
            if let reference = record.shardReference, let shard = shards[reference.shard] {
                guard reference.index < shard.count / bytesPerImage, let base = shard.bytes.baseAddress else {
                    throw DatasetError(.malformedIndex, "\(indexFileName) line \(line.number): '\(record.file)' is past the end of \(reference.shard) (\(shard.count / bytesPerImage) images)")
                }
                pixelStarts[slot] = base + reference.index * bytesPerImage
                continue
            }
            let imageURL = record.file.hasPrefix("/") ? URL(fileURLWithPath: record.file) : folder.appendingPathComponent(record.file)
            var isFolder: ObjCBool = false
            guard !record.file.isEmpty, FileManager.default.fileExists(atPath: imageURL.path, isDirectory: &isFolder), !isFolder.boolValue else {
                throw DatasetError(.missingImage, "\(indexFileName) line \(line.number): image '\(record.file)' not found (\(imageURL.path))")
            }
            filesToDecode.append((slot, line.number, record.file, imageURL))
        }

        var decoded: UnsafeMutableBufferPointer<UInt8>?
        if !filesToDecode.isEmpty {
            let arena = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: filesToDecode.count * bytesPerImage)
            do {
                try ImageFileDecoder.decodeAll(filesToDecode.map { ($0.line, $0.name, $0.url) }, side: imageSize,
                                               into: arena, threads: threads)
            } catch {
                arena.deallocate()
                throw error
            }
            for (position, entry) in filesToDecode.enumerated() {
                // The arena is non-empty here, so baseAddress exists.
                pixelStarts[entry.slot] = UnsafePointer(arena.baseAddress! + position * bytesPerImage)
            }
            decoded = arena
        }
        return ImageDataset(url: folder, imageSize: imageSize, manifest: manifest, index: index, lines: lines,
                            pixelStarts: pixelStarts.compactMap { $0 }, shards: Array(shards.values), decoded: decoded)
    }

    private static func readManifest(in folder: URL, imageSize: Int) throws -> DatasetManifest? {
        let url = folder.appendingPathComponent(manifestFileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let manifest: DatasetManifest
        do {
            manifest = try JSONDecoder().decode(DatasetManifest.self, from: Data(contentsOf: url))
        } catch let error as DecodingError {
            throw DatasetError(.malformedIndex, "\(url.path): \(CaptionIndexParser.describe(error))")
        } catch {
            throw DatasetError(.io, "cannot read \(url.path): \(error.localizedDescription)")
        }
        guard manifest.format == DatasetManifest.formatName, manifest.version == DatasetManifest.currentVersion else {
            throw DatasetError(.malformedIndex, "\(url.path): unsupported format '\(manifest.format)' version \(manifest.version) (this build reads '\(DatasetManifest.formatName)' version \(DatasetManifest.currentVersion))")
        }
        guard manifest.shards.isEmpty || manifest.imageSize == imageSize else {
            throw DatasetError(.invalidArgument, "\(url.path): raw shards hold \(manifest.imageSize)x\(manifest.imageSize) images, the model needs \(imageSize)x\(imageSize)")
        }
        guard manifest.shards.allSatisfy({ $0.count >= 0 && !$0.file.contains("/") }) else {
            throw DatasetError(.malformedIndex, "\(url.path): shard entries need a plain file name and a non-negative count")
        }
        return manifest
    }
}
