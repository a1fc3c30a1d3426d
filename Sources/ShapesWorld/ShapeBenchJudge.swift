/// Decides whether a parsed image satisfies a ShapeBench prompt (the prompts: `prompts/eval/shapebench.jsonl`).
///
/// Every category but `colors` is strict: the image holds exactly the described objects (same count, a
/// one-to-one matching in which each object has every stated attribute: shape, colour, size, cell), each
/// relation holds between centroids, and a stated background is right. So `single` = one object of the
/// right shape and colour, `counting` = exactly N, `position` = the relation between centroids.
/// `colors` only asks that some object of the stated shape has the stated colour.
public struct ShapeBenchJudge: Sendable {
    public let parser: CaptionParser
    /// How far (pixels) centroids must be apart along the relation's axis, so that two objects in one
    /// column are not "left of" each other by noise. Reference renders differ by 21 px between cells.
    public var relationMargin = 4.0

    public init(grammar: ShapesGrammar) {
        self.parser = CaptionParser(grammar: grammar)
    }

    /// The verdict for one prompt; throws only if the prompt does not parse.
    public func isCorrect(_ prompt: ShapeBenchPrompt, parsed: ParsedScene) throws -> Bool {
        try failure(prompt, parsed: parsed) == nil
    }

    public func isCorrect(_ spec: SceneSpec, category: ShapeBenchCategory, parsed: ParsedScene) -> Bool {
        failure(spec, category: category, parsed: parsed) == nil
    }

    /// Why the image fails the prompt, or nil when it passes; throws only if the prompt does not parse.
    public func failure(_ prompt: ShapeBenchPrompt, parsed: ParsedScene) throws -> ShapeBenchFailure? {
        failure(try parser.parse(prompt.prompt), category: prompt.category, parsed: parsed)
    }

    /// Why the image fails the spec, or nil when it passes (see `ShapeBenchFailure` for the order of the checks).
    public func failure(_ spec: SceneSpec, category: ShapeBenchCategory, parsed: ParsedScene) -> ShapeBenchFailure? {
        if category == .colors {
            for wanted in spec.objects {
                let colored = parsed.objects.filter { wanted.color == nil || $0.color == wanted.color }
                if colored.contains(where: { $0.shape == wanted.shape }) { continue }
                if parsed.objects.isEmpty { return .objectCount }
                if parsed.objects.contains(where: { $0.shape == wanted.shape }) { return .color }
                return colored.isEmpty ? .attributes : .shape
            }
            return nil
        }
        guard parsed.objects.count == spec.objects.count else { return .objectCount }
        if let background = spec.background, background != parsed.background { return .background }
        if assignmentExists(spec, parsed, ignoring: [], withRelations: true) { return nil }
        if assignmentExists(spec, parsed, ignoring: [], withRelations: false) { return .relation }
        if assignmentExists(spec, parsed, ignoring: [.shape], withRelations: false) { return .shape }
        if assignmentExists(spec, parsed, ignoring: [.color], withRelations: false) { return .color }
        if assignmentExists(spec, parsed, ignoring: [.placement], withRelations: false) { return .placement }
        return .attributes
    }

    private enum Attribute { case shape, color, placement }

    /// Whether the parsed objects can be matched one-to-one to the spec's, each having every stated
    /// attribute not in `ignoring` (and, with `withRelations`, every relation holding).
    private func assignmentExists(_ spec: SceneSpec, _ parsed: ParsedScene, ignoring: Set<Attribute>, withRelations: Bool) -> Bool {
        OneToOneMatching.exists(count: spec.objects.count, candidates: parsed.objects.count,
                                fits: { matches(spec.objects[$0], parsed.objects[$1], ignoring: ignoring) },
                                accepts: { assignment in
            !withRelations || spec.relations.allSatisfy { relation in
                holds(relation.relation, parsed.objects[assignment[relation.subject]], parsed.objects[assignment[relation.object]])
            }
        })
    }

    private func matches(_ wanted: ObjectSpec, _ found: ParsedObject, ignoring: Set<Attribute>) -> Bool {
        (ignoring.contains(.shape) || found.shape == wanted.shape)
            && (ignoring.contains(.color) || wanted.color == nil || wanted.color == found.color)
            && (ignoring.contains(.placement) || ((wanted.size == nil || wanted.size == found.size)
                                                    && (wanted.cell == nil || wanted.cell == found.cell)))
    }

    private func holds(_ relation: Relation, _ subject: ParsedObject, _ object: ParsedObject) -> Bool {
        switch relation {
        case .leftOf: return subject.centroidX + relationMargin < object.centroidX
        case .rightOf: return subject.centroidX > object.centroidX + relationMargin
        case .above: return subject.centroidY + relationMargin < object.centroidY
        case .below: return subject.centroidY > object.centroidY + relationMargin
        }
    }
}
