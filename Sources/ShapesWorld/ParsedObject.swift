/// One object found in an image by `SceneParser`.
public struct ParsedObject: Equatable, Sendable {
    public var shape: ShapeKind
    public var color: NamedColor
    public var size: ObjectSize
    /// The grid cell nearest to the centroid.
    public var cell: GridCell
    /// Mean pixel position (column, row), in pixel indices like the grammar's cell centres.
    public var centroidX: Double
    public var centroidY: Double
    /// Coverage-weighted pixel area (a small square: 121).
    public var area: Double
    /// Inclusive pixel bounds.
    public var minX: Int, minY: Int, maxX: Int, maxY: Int

    public init(shape: ShapeKind, color: NamedColor, size: ObjectSize, cell: GridCell, centroidX: Double, centroidY: Double,
                area: Double, minX: Int, minY: Int, maxX: Int, maxY: Int) {
        self.shape = shape
        self.color = color
        self.size = size
        self.cell = cell
        self.centroidX = centroidX
        self.centroidY = centroidY
        self.area = area
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }
}
