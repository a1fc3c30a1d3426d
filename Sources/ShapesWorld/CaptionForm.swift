/// How a caption phrases its objects; captioning a spec again uses the same form.
public enum CaptionForm: String, Codable, Sendable {
    /// "a red circle", "a red circle and a blue square", "a, b and c".
    case objects
    /// "a red circle to the left of a blue square" (exactly two objects, one relation).
    case relation
    /// "three red circles" (identical object specs).
    case count
}
