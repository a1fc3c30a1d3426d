/// The ShapeBench categories (docs/results.md lists the categories and their figures), GenEval-style.
public enum ShapeBenchCategory: String, CaseIterable, Codable, Sendable {
    /// One object; right shape and colour, nothing else.
    case single
    /// Two named shapes (no colours); both present.
    case twoObjects = "two_objects"
    /// "<n> <colour> <shape>s"; exactly n such objects and nothing else.
    case counting
    /// One coloured object; an object of that shape has that colour.
    case colors
    /// "A <relation> B"; the relation holds between the centroids.
    case position
    /// Two shapes with their own colours; each has its stated colour.
    case colorAttribution = "color_attribution"
    /// Held-out colour-shape pairs in several forms.
    case novel
    /// One coloured object on a stated background.
    case background
}
