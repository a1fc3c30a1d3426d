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
        let (pixelsPerImage, pixelsOverflow) = imageSize.multipliedReportingOverflow(by: imageSize)
        let (bytesPerImage, bytesOverflow) = pixelsPerImage.multipliedReportingOverflow(by: 3)
        guard !pixelsOverflow, !bytesOverflow else { throw DatasetError(.invalidArgument, "image size \(imageSize) is too large") }
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
        let shards = try manifest.map { try mapShards(of: $0, in: folder, bytesPerImage: bytesPerImage) } ?? [:]
        var pixelStarts = [UnsafePointer<UInt8>?](repeating: nil, count: lines.count)
        var filesToDecode: [(slot: Int, line: Int, name: String, url: URL)] = []
        for (slot, line) in lines.enumerated() {
            let record = line.entry
            if let reference = record.shardReference, let shard = shards[reference.shard] {
                let images = shard.count / bytesPerImage
                guard let index = reference.index, index < images, let base = shard.bytes.baseAddress else {
                    throw DatasetError(.malformedIndex, "\(indexFileName) line \(line.number): file '\(record.file)' names no image of \(reference.shard), which holds \(images) images (numbers 0..<\(images))")
                }
                pixelStarts[slot] = base + index * bytesPerImage
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
            let (arenaBytes, overflow) = filesToDecode.count.multipliedReportingOverflow(by: bytesPerImage)
            guard !overflow else {
                throw DatasetError(.invalidArgument, "\(filesToDecode.count) images of \(bytesPerImage) bytes do not fit in memory")
            }
            let arena = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: arenaBytes)
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

    /// `dataset.json` holds a few dozen bytes per shard, so even a huge dataset's is far smaller;
    /// a larger file is refused before it is read.
    static let maximumManifestBytes = 16 << 20

    private static func readManifest(in folder: URL, imageSize: Int) throws -> DatasetManifest? {
        let url = folder.appendingPathComponent(manifestFileName)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let manifest: DatasetManifest
        do {
            let data = try BoundedFileReader.read(url, limit: maximumManifestBytes, refusal: .malformedIndex)
            manifest = try JSONDecoder().decode(DatasetManifest.self, from: data)
        } catch let error as DatasetError {
            throw DatasetError(error.code, "cannot read \(url.path): \(error.message)")
        } catch let error as DecodingError {
            throw DatasetError(.malformedIndex, "\(url.path): \(CaptionIndexParser.describe(error))")
        } catch {
            throw DatasetError(.io, "cannot read \(url.path): \(error.localizedDescription)")
        }
        guard manifest.format == DatasetManifest.formatName, manifest.version == DatasetManifest.currentVersion else {
            throw DatasetError(.malformedIndex, "\(url.path): unsupported format '\(manifest.format)' version \(manifest.version) (this build reads '\(DatasetManifest.formatName)' version \(DatasetManifest.currentVersion))")
        }
        try manifest.checkFields(path: url.path)
        guard manifest.shards.isEmpty || manifest.imageSize == imageSize else {
            throw DatasetError(.invalidArgument, "\(url.path): raw shards hold \(manifest.imageSize)x\(manifest.imageSize) images, the model needs \(imageSize)x\(imageSize)")
        }
        return manifest
    }

    /// Maps the manifest's shards after checking, with overflow-safe arithmetic, that each file holds
    /// exactly `count` images and that the shard counts add up to the manifest's `count`.
    private static func mapShards(of manifest: DatasetManifest, in folder: URL, bytesPerImage: Int) throws -> [String: MappedFile] {
        let manifestPath = folder.appendingPathComponent(manifestFileName).path
        var shards: [String: MappedFile] = [:]
        var total = 0
        for (position, shard) in manifest.shards.enumerated() {
            let mapped = try MappedFile(path: folder.appendingPathComponent(shard.file).path)
            let (needed, overflow) = shard.count.multipliedReportingOverflow(by: bytesPerImage)
            guard !overflow, needed == mapped.count else {
                let holds = mapped.count % bytesPerImage == 0
                    ? "\(mapped.count / bytesPerImage) images of \(bytesPerImage) bytes"
                    : "not a whole number of \(bytesPerImage)-byte images"
                throw DatasetError(.malformedIndex, "\(manifestPath): shards[\(position)].count is \(shard.count), but \(shard.file) holds \(mapped.count) bytes: \(holds)")
            }
            let (sum, sumOverflow) = total.addingReportingOverflow(shard.count)
            guard !sumOverflow else {
                throw DatasetError(.malformedIndex, "\(manifestPath): shards[].count adds up to more than \(Int.max) images")
            }
            total = sum
            shards[shard.file] = mapped
        }
        guard manifest.shards.isEmpty || total == manifest.count else {
            throw DatasetError(.malformedIndex, "\(manifestPath): count is \(manifest.count), but shards[].count adds up to \(total) images")
        }
        return shards
    }
}
