/// Why the judge rejected an image. Each rejected image gets exactly one kind (so a category's kinds
/// add up to its failures): a wrong object count first, then a wrong background, then what the
/// closest one-to-one matching of the objects to the prompt's gets wrong.
public enum ShapeBenchFailure: String, CaseIterable, Codable, Sendable {
    /// Not as many objects as the prompt names (for `colors`, which asks only for some object of the
    /// stated shape and colour: no object at all).
    case objectCount = "object_count"
    /// The stated background is not the one found.
    case background
    /// The objects have the stated colours (sizes, cells) but not the stated shapes.
    case shape
    /// The objects have the stated shapes (sizes, cells) but not the stated colours.
    case color
    /// Shapes and colours are right but a stated size or cell is not.
    case placement
    /// More than one of shape, colour and placement is wrong.
    case attributes
    /// Every object is right but a stated relation does not hold between the centroids.
    case relation
}
