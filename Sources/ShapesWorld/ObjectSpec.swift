/// One object as a caption describes it: the shape is always named, the rest may be left open (nil).
public struct ObjectSpec: Equatable, Sendable {
    public var shape: ShapeKind
    public var color: NamedColor?
    public var size: ObjectSize?
    public var cell: GridCell?

    public init(shape: ShapeKind, color: NamedColor? = nil, size: ObjectSize? = nil, cell: GridCell? = nil) {
        self.shape = shape
        self.color = color
        self.size = size
        self.cell = cell
    }

    /// Whether the concrete `object` has every attribute this spec names.
    public func isSatisfied(by object: SceneObject) -> Bool {
        object.shape == shape
            && (color.map { $0 == object.color } ?? true)
            && (size.map { $0 == object.size } ?? true)
            && (cell.map { $0 == object.cell } ?? true)
    }
}
