/// What `SceneParser` sees in an image: the background and the objects, top-left first.
public struct ParsedScene: Equatable, Sendable {
    public var background: NamedColor
    public var objects: [ParsedObject]

    public init(background: NamedColor, objects: [ParsedObject]) {
        self.background = background
        self.objects = objects
    }
}
