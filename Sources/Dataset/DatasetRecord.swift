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

}
