/// A partially specified scene, as parsed from a caption: unspecified attributes are nil and get
/// sampled by `resolve(using:)`. Holds its grammar, which defines what can be sampled.
public struct SceneSpec: Equatable, Sendable {
    public let grammar: ShapesGrammar
    public var form: CaptionForm
    public var objects: [ObjectSpec]
    public var relations: [RelationSpec]
    public var background: NamedColor?

    public init(grammar: ShapesGrammar, form: CaptionForm = .objects, objects: [ObjectSpec],
                relations: [RelationSpec] = [], background: NamedColor? = nil) {
        self.grammar = grammar
        self.form = form
        self.objects = objects
        self.relations = relations
        self.background = background
    }
}
