import ShapesWorld

/// The `scene` of one `captions.jsonl` line, decoded when asked for.
struct SceneEntry: Decodable {
    var scene: Scene?
}
