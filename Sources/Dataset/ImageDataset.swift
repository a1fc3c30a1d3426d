import Foundation
import ImageCodec
import ShapesWorld

/// A captioned image dataset in memory, ready for training: every image is `imageSize` x `imageSize`
/// RGB8 (HWC), either mapped from a raw shard or decoded and resized once when the dataset is opened.
///
/// Opening checks everything up front (every JSON line, every image), so a training run never fails
/// halfway through an epoch on a bad file. Immutable after opening, so it can be read from any thread.
public final class ImageDataset: @unchecked Sendable {
    public static let indexFileName = "captions.jsonl"
    public static let manifestFileName = "dataset.json"

    public let url: URL
    public let imageSize: Int
    public let manifest: DatasetManifest?
    public let captions: [String]
    public let files: [String]
    /// captions.jsonl (mapped) and each sample's line in it, for decoding scenes on demand.
    private let index: Data
    private let lines: [(number: Int, range: Range<Int>)]

    /// Where each image's bytes start; they point into `shards` or `decoded`, which this object owns.
    let pixelStarts: [UnsafePointer<UInt8>]
    private let shards: [MappedFile]
    private let decoded: UnsafeMutableBufferPointer<UInt8>?

    init(url: URL, imageSize: Int, manifest: DatasetManifest?, index: Data,
         lines: [(number: Int, range: Range<Int>, entry: CaptionEntry)],
         pixelStarts: [UnsafePointer<UInt8>], shards: [MappedFile], decoded: UnsafeMutableBufferPointer<UInt8>?) {
        self.url = url
        self.imageSize = imageSize
        self.manifest = manifest
        self.index = index
        self.lines = lines.map { ($0.number, $0.range) }
        self.captions = lines.map(\.entry.caption)
        self.files = lines.map(\.entry.file)
        self.pixelStarts = pixelStarts
        self.shards = shards
        self.decoded = decoded
    }

    deinit {
        decoded?.deallocate()
    }

    public var count: Int { captions.count }
    public var bytesPerImage: Int { imageSize * imageSize * 3 }

    public func caption(at index: Int) -> String { captions[index] }

    /// The exact scene of a generated sample; nil for user datasets. Decoded from its line on each call.
    public func scene(at position: Int) throws -> Scene? {
        let line = lines[position]
        do {
            return try JSONDecoder().decode(SceneEntry.self, from: index.subdata(in: line.range)).scene
        } catch {
            throw DatasetError(.malformedIndex, "\(Self.indexFileName) line \(line.number): scene: \(CaptionIndexParser.describe(error))")
        }
    }

    /// The `file` field of the image's `captions.jsonl` line.
    public func file(at index: Int) -> String { files[index] }

    /// The stored RGB8 bytes of one image (HWC), valid as long as the dataset lives.
    public func pixels(at index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: pixelStarts[index], count: bytesPerImage)
    }

    public func image(at index: Int) -> RGBImage {
        var image = RGBImage(width: imageSize, height: imageSize, filledWith: RGBColor(0, 0, 0))
        let source = pixels(at: index)
        image.withUnsafeMutablePixels { target in
            for offset in 0..<target.count { target[offset] = source[offset] }
        }
        return image
    }
}
