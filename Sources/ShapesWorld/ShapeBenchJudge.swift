/// Decides whether a parsed image satisfies a ShapeBench prompt (design.md section 5).
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
        isCorrect(try parser.parse(prompt.prompt), category: prompt.category, parsed: parsed)
    }

    public func isCorrect(_ spec: SceneSpec, category: ShapeBenchCategory, parsed: ParsedScene) -> Bool {
        if category == .colors {
            return spec.objects.allSatisfy { wanted in
                parsed.objects.contains { $0.shape == wanted.shape && (wanted.color == nil || $0.color == wanted.color) }
            }
        }
        guard parsed.objects.count == spec.objects.count else { return false }
        if let background = spec.background, background != parsed.background { return false }
        var assignment = [Int](repeating: -1, count: spec.objects.count)
        var used = [Bool](repeating: false, count: parsed.objects.count)
        func search(_ index: Int) -> Bool {
            if index == spec.objects.count {
                return spec.relations.allSatisfy { relation in
                    holds(relation.relation, parsed.objects[assignment[relation.subject]], parsed.objects[assignment[relation.object]])
                }
            }
            for candidate in parsed.objects.indices where !used[candidate] && matches(spec.objects[index], parsed.objects[candidate]) {
                used[candidate] = true
                assignment[index] = candidate
                if search(index + 1) { return true }
                used[candidate] = false
            }
            return false
        }
        return search(0)
    }

    private func matches(_ wanted: ObjectSpec, _ found: ParsedObject) -> Bool {
        found.shape == wanted.shape
            && (wanted.color == nil || wanted.color == found.color)
            && (wanted.size == nil || wanted.size == found.size)
            && (wanted.cell == nil || wanted.cell == found.cell)
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
