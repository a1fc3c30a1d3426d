/// The five shapes. Their geometry lives in code (the renderer and the scene parser); their words live in the grammar.
public enum ShapeKind: String, CaseIterable, Codable, Sendable {
    case circle, square, triangle, diamond, cross
}
