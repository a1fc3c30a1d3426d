/// What the binding loss asks the text encoder's vector at an object's colour and shape words to say.
public enum BindingLabelSet: String, CaseIterable, Sendable {
    /// The object's colour-shape pair; objects named without a colour get no label.
    case colorShape = "color-shape"
    /// The object's colour (or "none") and shape, and where the caption puts it: its cell, its side
    /// of the other object in a relation ("A left of B": A left, B right), or the number of a count.
    /// Without it the text encoder's vectors do not tell "A left of B" from "B left of A"
    /// (`scripts/probe_relations.py`).
    case scene
}
