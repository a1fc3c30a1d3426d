import ImageCodec

/// The vocabulary and geometry of the shapes world, loaded from `prompts/shapes_grammar.json`
/// (see `ShapesGrammar+Loading.swift`). Everything a caption can say is data here; code only knows
/// the five shape geometries, the four relations and the 3x3 grid.
public struct ShapesGrammar: Equatable, Sendable {
    /// The grammar file inside the prompts directory.
    public static let fileName = "shapes_grammar.json"

    /// Side of the square image in pixels.
    public let imageSize: Int
    /// Pixel coordinate of the cell centres along each axis (3 values: columns and rows alike).
    public let cellCenters: [Int]
    /// The most objects a scene may hold.
    public let maxObjects: Int
    /// Object colours, in file order.
    public let colors: [NamedColor]
    /// Background colours, in file order.
    public let backgrounds: [NamedColor]
    /// Object sizes, in file order.
    public let sizes: [ObjectSize]
    /// Colour-shape pairs that never appear in generated data or sampled attributes.
    public let heldOutPairs: Set<ColorShapePair>
    /// Canonical cell names ("top left", "center", ...), indexed by `row * 3 + column`.
    public let cellNames: [String]

    // Phrase tables for parsing and captioning.
    let colorPhrases: PhraseTable<NamedColor>
    let backgroundPhrases: PhraseTable<NamedColor>
    let sizePhrases: PhraseTable<ObjectSize>
    let singularShapePhrases: PhraseTable<ShapeKind>
    let pluralShapePhrases: PhraseTable<ShapeKind>
    let cellPhrases: PhraseTable<GridCell>
    let relationPhrases: PhraseTable<Relation>
    let articles: PhraseTable<String>
    let conjunctions: PhraseTable<String>
    let numberPhrases: PhraseTable<Int>
    let prefixes: PhraseTable<String>
    let backgroundOpeners: PhraseTable<String>
    let backgroundClosers: PhraseTable<String>
    /// Every word any phrase uses, plus the comma: anything else in a caption is an unknown word.
    let vocabulary: Set<String>

    /// Whether `color` on `shape` is one of the held-out pairs.
    public func isHeldOut(color: NamedColor, shape: ShapeKind) -> Bool {
        heldOutPairs.contains(ColorShapePair(color: color.name, shape: shape))
    }

    /// The canonical name of `cell` ("top left", ...).
    public func name(of cell: GridCell) -> String { cellNames[cell.row * 3 + cell.column] }

    /// The colour called `name` (canonical name or synonym), if any.
    public func color(named name: String) -> NamedColor? { colors.first { $0.name == name } }

    /// The background called `name`, if any.
    public func background(named name: String) -> NamedColor? { backgrounds.first { $0.name == name } }

    /// The size called `name`, if any.
    public func size(named name: String) -> ObjectSize? { sizes.first { $0.name == name } }

    /// The cell whose canonical name is `name`, if any.
    public func cell(named name: String) -> GridCell? {
        cellNames.firstIndex(of: name).map { GridCell(row: $0 / 3, column: $0 % 3) }
    }
}
