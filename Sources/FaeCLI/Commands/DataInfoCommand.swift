import ArgumentParser
import Dataset
import Foundation

/// `data info`: opens a dataset exactly as training does (so it validates every line and image) and
/// optionally measures how fast images load into float batches.
struct DataInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Check a dataset folder and print its size; --bench measures loading into float batches.")

    @Argument(help: "Dataset folder (captions.jsonl + images or raw shards).") var folder: String
    @Option(help: "Image side the model needs.") var imageSize: Int = 64
    @Option(help: "Threads (default: all cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Time one shuffled epoch of (B, 3, S, S) float batches.") var bench = false
    @Option(help: "Batch size for --bench.") var batchSize: Int = 256
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        guard (1...4096).contains(imageSize) else { throw ValidationError("--image-size must be between 1 and 4096") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
        guard (1...65_536).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 65536") }
    }

    struct Info: Encodable {
        let path: String
        let count: Int
        let imageSize: Int
        let rawShards: Int
        let openSeconds: Double
        let loadImagesPerSecond: Double?
        enum CodingKeys: String, CodingKey {
            case path, count
            case imageSize = "image_size"
            case rawShards = "raw_shards"
            case openSeconds = "open_seconds"
            case loadImagesPerSecond = "load_images_per_second"
        }
    }

    func run() throws {
        let started = Date()
        let dataset = try ImageDataset.open(url: URL(fileURLWithPath: folder), imageSize: imageSize, threads: threads)
        let openSeconds = Date().timeIntervalSince(started)
        var rate: Double?
        if bench {
            let batch = min(batchSize, dataset.count)
            let floats = UnsafeMutableBufferPointer<Float>.allocate(capacity: batch * 3 * imageSize * imageSize)
            defer { floats.deallocate() }
            var batches = try ShuffledBatches(count: dataset.count, batchSize: batch, seed: 0)
            let benchStart = Date()
            var loaded = 0
            while batches.epoch == 0, let next = batches.next() {
                let target = UnsafeMutableBufferPointer(rebasing: floats[0..<(next.indices.count * 3 * imageSize * imageSize)])
                try dataset.loadImages(indices: next.indices, into: target, threads: threads)
                loaded += next.indices.count
            }
            rate = Double(loaded) / Date().timeIntervalSince(benchStart)
        }
        let info = Info(path: dataset.url.path, count: dataset.count, imageSize: imageSize,
                        rawShards: dataset.manifest?.shards.count ?? 0,
                        openSeconds: openSeconds, loadImagesPerSecond: rate)
        if json {
            try JSONOutput.print(info)
        } else {
            print("\(info.path): \(info.count) images \(imageSize)x\(imageSize), \(info.rawShards) raw shards, "
                + "opened in \(String(format: "%.2f", openSeconds)) s")
            if let rate { print("load: \(Int(rate)) images/s into float (B, 3, \(imageSize), \(imageSize)) batches") }
        }
    }
}
