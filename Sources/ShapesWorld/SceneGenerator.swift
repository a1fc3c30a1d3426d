/// Random captioned scenes for training data, covering every caption form. Never produces a held-out
/// colour-shape pair, neither in a caption nor in an image (unspecified colours are sampled without them).
public struct SceneGenerator: Sendable {
    public let grammar: ShapesGrammar

    /// How often each caption form is drawn.
    public var mix = CaptionMix.default
    /// Probabilities that an optional attribute is stated in the caption.
    public var colorProbability = 0.9
    public var sizeProbability = 0.3
    public var cellProbability = 0.3
    public var backgroundProbability = 0.4
    public var prefixProbability = 0.3

    public init(grammar: ShapesGrammar) {
        self.grammar = grammar
    }

    public func sample<G: RandomNumberGenerator>(using rng: inout G) -> GeneratedSample {
        while true {
            let spec = randomSpec(using: &rng)
            // Random cells can contradict the relation ("top left" below something); draw again.
            guard let scene = try? spec.resolve(using: &rng) else { continue }
            let caption = spec.caption(paraphrasingWith: &rng, prefixProbability: prefixProbability)
            return GeneratedSample(caption: caption, spec: spec, scene: scene)
        }
    }

    private func randomSpec<G: RandomNumberGenerator>(using rng: inout G) -> SceneSpec {
        let weights = mix
        let roll = rng.uniformIndex(below: weights.total)
        let background = rng.chance(backgroundProbability) ? rng.pick(grammar.backgrounds) : nil
        if roll < weights.single {
            return SceneSpec(grammar: grammar, objects: [randomObject(cells: true, using: &rng)], background: background)
        }
        if roll < weights.single + weights.list {
            let count = 2 + rng.uniformIndex(below: max(1, grammar.maxObjects - 1))
            let objects = (0..<count).map { _ in randomObject(cells: true, using: &rng) }
            return SceneSpec(grammar: grammar, objects: objects, background: background)
        }
        if roll < weights.single + weights.list + weights.relation {
            let objects = [randomObject(cells: true, using: &rng), randomObject(cells: true, using: &rng)]
            let relation = RelationSpec(subject: 0, relation: rng.pick(Relation.allCases), object: 1)
            return SceneSpec(grammar: grammar, form: .relation, objects: objects, relations: [relation], background: background)
        }
        let count = 2 + rng.uniformIndex(below: max(1, grammar.maxObjects - 1))
        let object = randomObject(cells: false, using: &rng)
        return SceneSpec(grammar: grammar, form: .count, objects: Array(repeating: object, count: count), background: background)
    }

    private func randomObject<G: RandomNumberGenerator>(cells: Bool, using rng: inout G) -> ObjectSpec {
        let shape = rng.pick(ShapeKind.allCases)
        var object = ObjectSpec(shape: shape)
        if rng.chance(colorProbability) {
            object.color = rng.pick(grammar.colors.filter { !grammar.isHeldOut(color: $0, shape: shape) })
        }
        if rng.chance(sizeProbability) { object.size = rng.pick(grammar.sizes) }
        if cells, rng.chance(cellProbability) { object.cell = rng.pick(GridCell.all) }
        return object
    }
}
