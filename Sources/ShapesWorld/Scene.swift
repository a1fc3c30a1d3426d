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

extension Scene {
    /// Scenes are read back from files (a dataset's `captions.jsonl`), so the geometry that
    /// `boundingBox` indexes with is checked here: three cell centres and every object in the 3x3 grid.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(imageSize: try container.decode(Int.self, forKey: .imageSize),
                  cellCenters: try container.decode([Int].self, forKey: .cellCenters),
                  background: try container.decode(NamedColor.self, forKey: .background),
                  objects: try container.decode([SceneObject].self, forKey: .objects))
        guard cellCenters.count == 3 else {
            throw DecodingError.dataCorruptedError(forKey: .cellCenters, in: container,
                                                   debugDescription: "a scene needs 3 cell centres, got \(cellCenters.count)")
        }
        if let object = objects.first(where: { !(0..<3).contains($0.cell.row) || !(0..<3).contains($0.cell.column) }) {
            throw DecodingError.dataCorruptedError(forKey: .objects, in: container,
                                                   debugDescription: "cell \(object.cell) is outside the 3x3 grid")
        }
    }
}
