/// A spatial relation between two objects, judged on grid cells when scenes are resolved.
///
/// `A leftOf B` means A's column is strictly smaller than B's (rows free); `A above B` means A's row
/// is strictly smaller (columns free). Strict inequalities make every relation visible: objects never
/// share a cell, and a relation never holds by accident of two objects placed in the same column.
public enum Relation: String, CaseIterable, Codable, Sendable {
    case leftOf = "left_of"
    case rightOf = "right_of"
    case above
    case below

    /// Whether the relation holds for a subject in `subject` and an object in `object`.
    public func holds(subject: GridCell, object: GridCell) -> Bool {
        switch self {
        case .leftOf: return subject.column < object.column
        case .rightOf: return subject.column > object.column
        case .above: return subject.row < object.row
        case .below: return subject.row > object.row
        }
    }
}
