/// Where a caption names one object's colour and shape: character ranges (0-based, over the
/// caption's `Character`s) of the colour phrase ("light green") and the shape phrase ("plus sign",
/// "crosses"). A count ("three red circles") is one phrase for all its objects.
public struct ObjectPhrase: Equatable, Sendable {
    public var shape: ShapeKind
    public var color: NamedColor?
    public var shapeCharacters: Range<Int>
    public var colorCharacters: Range<Int>?

    public init(shape: ShapeKind, color: NamedColor?, shapeCharacters: Range<Int>, colorCharacters: Range<Int>?) {
        self.shape = shape
        self.color = color
        self.shapeCharacters = shapeCharacters
        self.colorCharacters = colorCharacters
    }
}
