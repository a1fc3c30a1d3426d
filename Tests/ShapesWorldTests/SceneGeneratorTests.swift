import Testing
@testable import ShapesWorld

@Test func captionsParseBackToTheirSpecAndScene() throws {
    let generator = SceneGenerator(grammar: testGrammar)
    var rng = SeededGenerator(seed: 2024)
    var forms: [CaptionForm: Int] = [:]
    for _ in 0..<3000 {
        let sample = generator.sample(using: &rng)
        let parsed = try testParser.parse(sample.caption)
        #expect(parsed == sample.spec, "\(sample.caption)")
        #expect(parsed.isSatisfied(by: sample.scene), "\(sample.caption)")
        forms[sample.spec.form, default: 0] += 1
    }
    #expect(forms.count == 3 && forms.values.allSatisfy { $0 > 300 })
}

@Test func heldOutPairsAreNeverGenerated() throws {
    let generator = SceneGenerator(grammar: testGrammar)
    var rng = SeededGenerator(seed: 99)
    let heldOutPhrases = testGrammar.heldOutPairs.map { "\($0.color) \($0.shape.rawValue)" }
    for _ in 0..<5000 {
        let sample = generator.sample(using: &rng)
        for object in sample.scene.objects {
            #expect(!testGrammar.isHeldOut(color: object.color, shape: object.shape), "\(sample.caption)")
        }
        // Plurals start with the singular ("purple triangles"), and "cross" covers "crosses".
        #expect(!heldOutPhrases.contains { sample.caption.contains($0) }, "\(sample.caption)")
    }
}

@Test func heldOutPairsRenderWhenAskedFor() throws {
    let world = ShapesWorld(grammar: testGrammar)
    for prompt in ["a purple triangle", "an orange circle", "a cyan square", "a pink diamond", "a green cross"] {
        let (scene, image) = try world.render(prompt: prompt, seed: 5)
        let object = scene.objects[0]
        let center = (x: scene.cellCenters[object.cell.column], y: scene.cellCenters[object.cell.row] + 2)
        #expect(image.pixel(x: center.x, y: center.y) == object.color.rgb, "\(prompt)")
    }
}

@Test func canonicalCaptionsParse() throws {
    let generator = SceneGenerator(grammar: testGrammar)
    var rng = SeededGenerator(seed: 5)
    for _ in 0..<500 {
        let sample = generator.sample(using: &rng)
        #expect(try testParser.parse(sample.spec.caption) == sample.spec, "\(sample.spec.caption)")
    }
}

@Test func captionMixParsesAndRefusesBadWeights() throws {
    #expect(try CaptionMix(parsing: "single=2, list=4,relation=3,count=2") == CaptionMix(single: 2, list: 4, relation: 3, count: 2))
    #expect(try CaptionMix(parsing: "relation=1") == CaptionMix(single: 0, list: 0, relation: 1, count: 0))
    #expect(try CaptionMix(parsing: CaptionMix.default.description) == .default)
    for bad in ["", "lists=3", "single", "single=2,single=3", "count=-1", "count=1.5", "single=0,count=0", "relation=1,"] {
        #expect(throws: ShapesWorldError.self, "\(bad)") { try CaptionMix(parsing: bad) }
    }
}

@Test func theMixSetsHowOftenEachFormIsDrawn() throws {
    var generator = SceneGenerator(grammar: testGrammar)
    generator.mix = try CaptionMix(parsing: "relation=1")
    var rng = SeededGenerator(seed: 8)
    for _ in 0..<200 { #expect(generator.sample(using: &rng).spec.form == .relation) }

    generator.mix = CaptionMix(single: 1, list: 0, relation: 0, count: 3)
    var singles = 0, counts = 0
    for _ in 0..<2000 {
        let spec = generator.sample(using: &rng).spec
        if spec.form == .count { counts += 1 } else if spec.form == .objects && spec.objects.count == 1 { singles += 1 }
    }
    #expect(singles + counts == 2000)
    #expect((1350...1650).contains(counts), "\(counts) of 2000 counts, expected about 1500")
}
