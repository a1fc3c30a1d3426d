import Testing
@testable import ShapesWorld

@Test func resolvedScenesHonourTheSpec() throws {
    let captions = [
        "a red circle to the left of a blue square", "a red circle above a blue square",
        "a large green triangle in the bottom right below a yellow cross", "four small pink squares",
        "a red circle, a blue square, a yellow cross and a green diamond on a black background",
    ]
    for caption in captions {
        let spec = try testParser.parse(caption)
        for seed in 0..<200 as Range<UInt64> {
            var rng = SeededGenerator(seed: seed)
            let scene = try spec.resolve(using: &rng)
            #expect(spec.isSatisfied(by: scene), "seed \(seed): \(caption)")
            #expect(Set(scene.objects.map(\.cell)).count == scene.objects.count)
        }
    }
}

@Test func relationsUseStrictCellOrder() throws {
    let spec = try testParser.parse("a red circle left of a blue square")
    for seed in 0..<300 as Range<UInt64> {
        var rng = SeededGenerator(seed: seed)
        let scene = try spec.resolve(using: &rng)
        #expect(scene.objects[0].cell.column < scene.objects[1].cell.column)
    }
}

@Test func sampledAttributesCoverTheirRanges() throws {
    let spec = try testParser.parse("a square")
    var colors = Set<String>(), cells = Set<GridCell>(), backgrounds = Set<String>(), sizes = Set<String>()
    var rng = SeededGenerator(seed: 1)
    for _ in 0..<500 {
        let object = try spec.resolve(using: &rng)
        colors.insert(object.objects[0].color.name)
        cells.insert(object.objects[0].cell)
        backgrounds.insert(object.background.name)
        sizes.insert(object.objects[0].size.name)
    }
    // Sampling never invents the held-out cyan square.
    #expect(colors == Set(testGrammar.colors.map(\.name)).subtracting(["cyan"]))
    #expect(cells.count == 9 && backgrounds.count == 3 && sizes.count == 2)
}
