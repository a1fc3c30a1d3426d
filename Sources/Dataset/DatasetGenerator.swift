import Dispatch
import Foundation
import ImageCodec
import ShapesWorld

/// Writes a shapes-world dataset: reference renders of random captioned scenes (held-out colour-shape
/// pairs never appear; `SceneGenerator` sees to that), deterministic for a seed.
///
/// Sample `i` of a split is drawn by its own generator, seeded with output `i` of the split's SplitMix64
/// stream (`DatasetSplit.streamSeed`). Samples are therefore independent of the thread count and of
/// `count`: the first 1,000 images of a 100,000-image dataset are the 1,000-image dataset of that seed.
///
/// Layout (raw format): `shard-00000.rgb`, ... (`shardSize` images each), `dataset.json`, and
/// `captions.jsonl` with `{"caption", "file": "shard-00000.rgb#17", "scene"}` per line (keys sorted).
/// JPEG/PNG formats write `images-00000/00000017.jpg`, ... instead. `captions.jsonl` is written last
/// (through a temporary file), so its presence marks a complete dataset.
public struct DatasetGenerator: Sendable {
    public let grammar: ShapesGrammar
    public var shardSize = 10_000
    public var format = DatasetImageFormat.raw
    public var jpegQuality = 95
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Replace an existing dataset in the output folder instead of refusing.
    public var overwrite = false
    /// How often each caption form is drawn (recorded in the manifest when it is not the default).
    public var mix = CaptionMix.default

    public init(grammar: ShapesGrammar) {
        self.grammar = grammar
    }

    /// Sample `index` of the split's stream.
    public func sample(index: Int, seed: UInt64, split: DatasetSplit) -> GeneratedSample {
        var stream = SeededGenerator(seed: split.streamSeed(for: seed) &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        var generator = SeededGenerator(seed: stream.next())
        var scenes = SceneGenerator(grammar: grammar)
        scenes.mix = mix
        return scenes.sample(using: &generator)
    }

    /// Generates `count` samples into `directory` (created if needed); `progress(done, count)` is called
    /// after each shard. Returns the manifest written to `dataset.json`.
    @discardableResult
    public func generate(count: Int, seed: UInt64, split: DatasetSplit, into directory: URL,
                         progress: (Int, Int) -> Void = { _, _ in }) throws -> DatasetManifest {
        guard count > 0 else { throw DatasetError(.invalidArgument, "count must be positive, got \(count)") }
        guard shardSize > 0 else { throw DatasetError(.invalidArgument, "shard size must be positive, got \(shardSize)") }
        guard (1...100).contains(jpegQuality) else { throw DatasetError(.invalidArgument, "JPEG quality must be in 1...100") }
        try prepare(directory)
        let side = grammar.imageSize
        var shards: [DatasetManifest.Shard] = []
        var index = Data()
        var start = 0
        while start < count {
            let end = min(start + shardSize, count), number = start / shardSize
            let lines = try writeShard(number: number, samples: start..<end, seed: seed, split: split, into: directory)
            if format == .raw { shards.append(.init(file: Self.shardName(number), count: end - start)) }
            for line in lines {
                index.append(line)
                index.append(0x0A)
            }
            progress(end, count)
            start = end
        }
        let manifest = DatasetManifest(
            imageSize: side, count: count, shards: shards,
            generator: .init(name: "shapes-world", seed: seed, split: split, streamSeed: split.streamSeed(for: seed),
                             mix: mix == .default ? nil : mix.description))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try write(try encoder.encode(manifest) + Data([0x0A]), to: directory.appendingPathComponent(ImageDataset.manifestFileName))
        let temporary = directory.appendingPathComponent(ImageDataset.indexFileName + ".partial")
        try write(index, to: temporary)
        let target = directory.appendingPathComponent(ImageDataset.indexFileName)
        guard rename(temporary.path, target.path) == 0 else {
            throw DatasetError(.io, "cannot move \(temporary.path) to \(target.path): \(String(cString: strerror(errno)))")
        }
        return manifest
    }

    static func shardName(_ number: Int) -> String { "shard-\(String(format: "%05d", number)).rgb" }
    static func imageFolderName(_ number: Int) -> String { "images-\(String(format: "%05d", number))" }

    /// Renders samples `range` in parallel, writes their images, returns their captions.jsonl lines.
    private func writeShard(number: Int, samples range: Range<Int>, seed: UInt64, split: DatasetSplit,
                            into directory: URL) throws -> [Data] {
        let side = grammar.imageSize, bytesPerImage = side * side * 3
        var pixels = [UInt8](repeating: 0, count: format == .raw ? range.count * bytesPerImage : 0)
        var lines = [Data](repeating: Data(), count: range.count)
        var failures = [DatasetError?](repeating: nil, count: range.count)
        let folder = directory.appendingPathComponent(Self.imageFolderName(number), isDirectory: true)
        if format != .raw { try createDirectory(folder) }
        let workers = max(1, min(threads, range.count))
        pixels.withUnsafeMutableBufferPointer { pixels in
            lines.withUnsafeMutableBufferPointer { lines in
                failures.withUnsafeMutableBufferPointer { failures in
                    DispatchQueue.concurrentPerform(iterations: workers) { worker in
                        let encoder = JSONEncoder()
                        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                        let begin = range.count * worker / workers, end = range.count * (worker + 1) / workers
                        for position in begin..<end {
                            let index = range.lowerBound + position
                            let sample = self.sample(index: index, seed: seed, split: split)
                            let image = ReferenceRenderer.render(sample.scene)
                            do {
                                let file: String
                                switch format {
                                case .raw:
                                    image.pixels.withUnsafeBufferPointer { source in
                                        let target = position * bytesPerImage
                                        for offset in 0..<bytesPerImage { pixels[target + offset] = source[offset] }
                                    }
                                    file = "\(Self.shardName(number))#\(position)"
                                case .jpeg, .png:
                                    let name = String(format: "%08d.", index) + (format == .jpeg ? "jpg" : "png")
                                    let data = try format == .jpeg ? JPEG.encode(image, quality: jpegQuality) : PNG.encode(image)
                                    try write(data, to: folder.appendingPathComponent(name))
                                    file = "\(Self.imageFolderName(number))/\(name)"
                                }
                                let record = DatasetRecord(file: file, caption: sample.caption, scene: sample.scene)
                                lines[position] = try encoder.encode(record)
                            } catch let error as DatasetError {
                                failures[position] = error
                            } catch {
                                failures[position] = DatasetError(.io, "cannot write sample \(index): \(error)")
                            }
                        }
                    }
                }
            }
        }
        if let failure = failures.lazy.compactMap({ $0 }).first { throw failure }
        if format == .raw {
            try write(Data(pixels), to: directory.appendingPathComponent(Self.shardName(number)))
        }
        return lines
    }

    /// Creates the folder, or empties the dataset files of an existing one when `overwrite` is set.
    private func prepare(_ directory: URL) throws {
        let manager = FileManager.default
        try createDirectory(directory)
        let contents: [String]
        do {
            contents = try manager.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DatasetError(.io, "cannot list \(directory.path): \(error.localizedDescription)")
        }
        let ours = contents.filter {
            $0 == ImageDataset.indexFileName || $0 == ImageDataset.manifestFileName || $0.hasPrefix(ImageDataset.indexFileName)
                || ($0.hasPrefix("shard-") && $0.hasSuffix(".rgb")) || $0.hasPrefix("images-")
        }
        guard !ours.isEmpty else { return }
        guard overwrite else {
            throw DatasetError(.io, "\(directory.path) already holds a dataset (\(ours.sorted().prefix(3).joined(separator: ", ")), ...); choose another folder or overwrite it (--overwrite)")
        }
        for name in ours {
            do {
                try manager.removeItem(at: directory.appendingPathComponent(name))
            } catch {
                throw DatasetError(.io, "cannot remove \(directory.appendingPathComponent(name).path): \(error.localizedDescription)")
            }
        }
    }

    private func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw DatasetError(.io, "cannot create \(url.path): \(error.localizedDescription)")
        }
    }

    private func write(_ data: Data, to url: URL) throws {
        do {
            try data.write(to: url)
        } catch {
            throw DatasetError(.io, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
