/// A random scene with its caption, for datasets; `spec` is what the caption says (parsing `caption` gives it back).
public struct GeneratedSample: Equatable, Sendable {
    public var caption: String
    public var spec: SceneSpec
    public var scene: Scene
}
