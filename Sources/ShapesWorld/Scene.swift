/// A fully specified scene: everything the renderer needs, nothing left to chance.
/// Carries its geometry (image size, cell centres) so that it renders without the grammar.
public struct Scene: Equatable, Codable, Sendable {
    public var imageSize: Int
    public var cellCenters: [Int]
    public var background: NamedColor
    public var objects: [SceneObject]

    public init(imageSize: Int, cellCenters: [Int], background: NamedColor, objects: [SceneObject]) {
        self.imageSize = imageSize
        self.cellCenters = cellCenters
        self.background = background
        self.objects = objects
    }

    /// The pixel square `[x0, x0 + side) x [y0, y0 + side)` of `object`'s bounding box. Integer corners keep
    /// squares and crosses crisp: the box starts `side / 2` (rounded down) before the cell centre.
    public func boundingBox(of object: SceneObject) -> (x0: Int, y0: Int, side: Int) {
        let side = object.size.pixels
        return (cellCenters[object.cell.column] - side / 2, cellCenters[object.cell.row] - side / 2, side)
    }
}
