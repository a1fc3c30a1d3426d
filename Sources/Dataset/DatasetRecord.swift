import ShapesWorld

/// One line of `captions.jsonl`. `file` is an image path relative to the dataset folder (JPEG or PNG,
/// any size), or `shard-00000.rgb#17` for image 17 of a raw shard listed in `dataset.json`.
/// `scene` is present in generated datasets only.
public struct DatasetRecord: Codable, Equatable, Sendable {
    public var file: String
    public var caption: String
    public var scene: Scene?

    public init(file: String, caption: String, scene: Scene? = nil) {
        self.file = file
        self.caption = caption
        self.scene = scene
    }

    /// The shard name and image index of a `name#index` reference, nil for a plain file.
    var shardReference: (shard: String, index: Int)? {
        guard let hash = file.lastIndex(of: "#"), let index = Int(file[file.index(after: hash)...]), index >= 0 else {
            return nil
        }
        return (String(file[..<hash]), index)
    }
}
