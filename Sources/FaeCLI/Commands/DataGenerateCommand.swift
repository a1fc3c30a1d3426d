import ArgumentParser
import Dataset
import FaeResources
import Foundation
import ShapesWorld


/// `data generate`: a shapes-world dataset, deterministic for (seed, split).
struct DataGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a shapes-world dataset (reference renders + captions.jsonl), deterministic for a seed.",
        discussion: """
            The eval split draws from a different random stream than train for the same seed (seed + 1000003), \
            so `--split eval` with the training seed gives the held-out evaluation set. Held-out colour-shape \
            pairs never appear in either split.
            """)

    @Option(help: "Number of images.") var count: Int
    @Option(help: "Seed of the random scenes.") var seed: UInt64 = 0
    @Option(help: "Output folder (created; must not already hold a dataset unless --overwrite).") var out: String
    @Option(help: "Images per shard.") var shardSize: Int = 10_000
    @Option(help: "train or eval.") var split: DatasetSplit = .train
    @Option(help: "Image storage: raw (RGB shards, fastest to train on), jpeg (q95 files), png (files).")
    var format: DatasetImageFormat = .raw
    @Option(help: ArgumentHelp("How often each caption form is drawn: relative weights of single, list, relation and count (forms left out get 0).",
                               valueName: "single=3,list=3,relation=2,count=2"))
    var mix: String?
    @Option(help: "Threads (default: all cores).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(help: "Replace a dataset already in --out.") var overwrite = false
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        guard (1...100_000_000).contains(count) else { throw ValidationError("--count must be between 1 and 100000000") }
        guard (1...10_000_000).contains(shardSize) else { throw ValidationError("--shard-size must be between 1 and 10000000") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be between 1 and 256") }
        guard !out.isEmpty else { throw ValidationError("--out must not be empty") }
        _ = try captionMix()
    }

    func captionMix() throws -> CaptionMix {
        guard let mix else { return .default }
        do {
            return try CaptionMix(parsing: mix)
        } catch {
            throw ValidationError("--mix: \(error)")
        }
    }

    struct Summary: Encodable {
        let path: String
        let count: Int
        let seed: UInt64
        let split: String
        let format: String
        let shards: Int
        let bytes: Int64
        let seconds: Double
    }

    func run() throws {
        let grammar = try ShapesGrammar.load(from: ResourceLocator.promptsDirectory())
        var generator = DatasetGenerator(grammar: grammar)
        generator.shardSize = shardSize
        generator.format = format
        generator.threads = threads
        generator.overwrite = overwrite
        generator.mix = try captionMix()
        let folder = URL(fileURLWithPath: out)
        let started = Date()
        let showProgress = !json && isatty(STDERR_FILENO) == 1
        let manifest = try generator.generate(count: count, seed: seed, split: split, into: folder) { done, total in
            guard showProgress else { return }
            let seconds = Date().timeIntervalSince(started)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(done)/\(total) images, \(Int(Double(done) / max(seconds, 1e-9))) img/s".utf8))
        }
        if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
        let seconds = Date().timeIntervalSince(started)
        let summary = Summary(path: folder.path, count: manifest.count, seed: seed, split: split.rawValue,
                              format: format.rawValue, shards: (count + shardSize - 1) / shardSize,
                              bytes: Self.size(of: folder), seconds: seconds)
        if json {
            try JSONOutput.print(summary)
        } else {
            print("\(summary.path): \(summary.count) \(split.rawValue) images (seed \(seed), \(format.rawValue)), "
                + "\(String(format: "%.1f", Double(summary.bytes) / 1_048_576)) MiB in \(String(format: "%.1f", seconds)) s")
        }
    }

    /// Bytes of all files under `folder`.
    static func size(of folder: URL) -> Int64 {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
        var total: Int64 = 0
        for case let url as URL in walker {
            total += Int64((try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0)
        }
        return total
    }
}
