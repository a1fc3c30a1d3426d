import Testing
@testable import ShapesWorld

private func spec(_ objects: [ObjectSpec], form: CaptionForm = .objects, relations: [RelationSpec] = [],
                  background: NamedColor? = nil) -> SceneSpec {
    SceneSpec(grammar: testGrammar, form: form, objects: objects, relations: relations, background: background)
}

@Test func singleObjectForms() throws {
    #expect(try testParser.parse("a red circle") == spec([ObjectSpec(shape: .circle, color: color("red"))]))
    #expect(try testParser.parse("a small blue square") == spec([ObjectSpec(shape: .square, color: color("blue"), size: size("small"))]))
    #expect(try testParser.parse("a large yellow triangle in the top left on a black background")
        == spec([ObjectSpec(shape: .triangle, color: color("yellow"), size: size("large"), cell: cell("top left"))],
                background: background("black")))
    #expect(try testParser.parse("a pink cross in the center") == spec([ObjectSpec(shape: .cross, color: color("pink"), cell: cell("center"))]))
    #expect(try testParser.parse("a green diamond on a gray background")
        == spec([ObjectSpec(shape: .diamond, color: color("green"))], background: background("gray")))
    #expect(try testParser.parse("a circle") == spec([ObjectSpec(shape: .circle)]))
}

@Test func everyCellPhraseParses() throws {
    for cell in GridCell.all {
        let name = testGrammar.name(of: cell)
        #expect(try testParser.parse("a red square in the \(name)").objects[0].cell == cell)
    }
    #expect(try testParser.parse("a red square in the middle").objects[0].cell == cell("center"))
    #expect(try testParser.parse("a red square on the left").objects[0].cell == cell("left"))
}

@Test func twoObjectForm() throws {
    #expect(try testParser.parse("a red circle and a blue square")
        == spec([ObjectSpec(shape: .circle, color: color("red")), ObjectSpec(shape: .square, color: color("blue"))]))
    let three = try testParser.parse("a red circle, a blue square and a yellow cross")
    #expect(three.objects.map(\.shape) == [.circle, .square, .cross])
}

@Test func relationForms() throws {
    let phrases: [(String, Relation)] = [
        ("left of", .leftOf), ("right of", .rightOf), ("above", .above), ("below", .below),
        ("to the left of", .leftOf), ("to the right of", .rightOf), ("on the left of", .leftOf),
    ]
    for (phrase, relation) in phrases {
        let parsed = try testParser.parse("a red circle \(phrase) a blue square")
        #expect(parsed == spec([ObjectSpec(shape: .circle, color: color("red")), ObjectSpec(shape: .square, color: color("blue"))],
                               form: .relation, relations: [RelationSpec(subject: 0, relation: relation, object: 1)]))
    }
}

@Test func overlappingCellAndRelationPhrases() throws {
    // "at the bottom" + "right of", not "at the bottom right" + "of".
    let parsed = try testParser.parse("a blue triangle at the bottom right of a little red circle")
    #expect(parsed.objects[0].cell == cell("bottom"))
    #expect(parsed.relations == [RelationSpec(subject: 0, relation: .rightOf, object: 1)])
    #expect(parsed.objects[1].size == size("small"))
    let corner = try testParser.parse("a blue triangle at the bottom right and a red circle")
    #expect(corner.objects[0].cell == cell("bottom right"))
}

@Test func countingForms() throws {
    #expect(try testParser.parse("two red circles")
        == spec(Array(repeating: ObjectSpec(shape: .circle, color: color("red")), count: 2), form: .count))
    #expect(try testParser.parse("three yellow crosses").objects == Array(repeating: ObjectSpec(shape: .cross, color: color("yellow")), count: 3))
    #expect(try testParser.parse("four small blue diamonds").objects.count == 4)
    #expect(try testParser.parse("four small blue diamonds").objects[0].size == size("small"))
}

@Test func prefixesCaseWhitespaceAndPeriod() throws {
    let plain = try testParser.parse("a red circle to the left of a blue square")
    for prefix in ["a picture of ", "an image of ", "a drawing of "] {
        #expect(try testParser.parse(prefix + "a red circle to the left of a blue square") == plain)
    }
    #expect(try testParser.parse("  A Red   Circle  to the LEFT of a blue square. ") == plain)
    #expect(try testParser.parse("an orange circle") == spec([ObjectSpec(shape: .circle, color: color("orange"))]))
    #expect(try testParser.parse("a drawing of three green squares on a white background").background == background("white"))
}

@Test func phrasesSayWhereEachObjectsColourAndShapeAreNamed() throws {
    func words(_ caption: String, _ range: Range<Int>?) -> String? {
        range.map { String(Array(caption)[$0]) }
    }
    let relation = "A small Pink plus sign on the right of a blue diamond."
    let phrases = try testParser.parseWithPhrases(relation).phrases
    #expect(phrases.map(\.shape) == [.cross, .diamond] && phrases.map(\.color) == [color("pink"), color("blue")])
    #expect(phrases.map { words(relation, $0.colorCharacters) } == ["Pink", "blue"])
    #expect(phrases.map { words(relation, $0.shapeCharacters) } == ["plus sign", "diamond"])

    let list = "a circle, a red square and a green triangle on a gray background"
    let listPhrases = try testParser.parseWithPhrases(list).phrases
    #expect(listPhrases.map { words(list, $0.colorCharacters) } == [nil, "red", "green"])
    #expect(listPhrases.map { words(list, $0.shapeCharacters) } == ["circle", "square", "triangle"])

    let count = "three little orange crosses"
    let countPhrases = try testParser.parseWithPhrases(count).phrases
    #expect(countPhrases.count == 1 && countPhrases[0].shape == .cross)
    #expect(words(count, countPhrases[0].colorCharacters) == "orange" && words(count, countPhrases[0].shapeCharacters) == "crosses")
    #expect(try testParser.parseWithPhrases(count).spec == testParser.parse(count))
}
