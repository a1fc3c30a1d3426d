/// `dataset.json`: what the raw image shards of a dataset are and, for generated datasets, how they
/// were made. Optional: a folder with only images and `captions.jsonl` is a dataset too.
public struct DatasetManifest: Codable, Equatable, Sendable {
    /// One raw shard: `count` images of `imageSize` x `imageSize` x 3 bytes, RGB, rows top to bottom, HWC.
    public struct Shard: Codable, Equatable, Sendable {
        public var file: String
        public var count: Int

        public init(file: String, count: Int) {
            self.file = file
            self.count = count
        }
    }

    /// How a generated dataset was made, so that it can be made again.
    public struct Generator: Codable, Equatable, Sendable {
        public var name: String
        public var seed: UInt64
        public var split: DatasetSplit
        /// The seed of the split's sample stream (differs from `seed` for the eval split).
        public var streamSeed: UInt64
        /// The caption mix (`CaptionMix` syntax) when it is not the default.
        public var mix: String?

        enum CodingKeys: String, CodingKey {
            case name, seed, split, mix
            case streamSeed = "stream_seed"
        }
    }

    public static let formatName = "fae-t2i-dataset"
    public static let currentVersion = 1

    public var format: String
    public var version: Int
    public var imageSize: Int
    public var count: Int
    public var shards: [Shard]
    public var generator: Generator?

    public init(imageSize: Int, count: Int, shards: [Shard], generator: Generator?) {
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.imageSize = imageSize
        self.count = count
        self.shards = shards
        self.generator = generator
    }

    enum CodingKeys: String, CodingKey {
        case format, version, count, shards, generator
        case imageSize = "image_size"
    }
}
