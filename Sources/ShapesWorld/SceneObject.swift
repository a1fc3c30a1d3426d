/// One concrete object of a scene.
public struct SceneObject: Equatable, Codable, Sendable {
    public var shape: ShapeKind
    public var color: NamedColor
    public var size: ObjectSize
    public var cell: GridCell

    public init(shape: ShapeKind, color: NamedColor, size: ObjectSize, cell: GridCell) {
        self.shape = shape
        self.color = color
        self.size = size
        self.cell = cell
    }
}
