/// A colour-shape combination, e.g. the held-out "purple triangle".
public struct ColorShapePair: Hashable, Codable, Sendable, CustomStringConvertible {
    public var color: String
    public var shape: ShapeKind

    public init(color: String, shape: ShapeKind) {
        self.color = color
        self.shape = shape
    }

    public var description: String { "\(color) \(shape.rawValue)" }
}
