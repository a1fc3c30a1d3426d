import ImageCodec
import Testing
@testable import ShapesWorld

/// Reference render -> JPEG q95 -> decode, as the evaluator will see generated images.
private func jpegRoundTrip(_ scene: Scene) throws -> RGBImage {
    try JPEG.decode(JPEG.encode(ReferenceRenderer.render(scene), quality: 95))
}

private func sameScene(_ parsed: ParsedScene, _ scene: Scene) -> Bool {
    guard parsed.background == scene.background, parsed.objects.count == scene.objects.count else { return false }
    let found = parsed.objects.map { "\($0.shape) \($0.color.name) \($0.size.name) \($0.cell)" }.sorted()
    let truth = scene.objects.map { "\($0.shape) \($0.color.name) \($0.size.name) \($0.cell)" }.sorted()
    return found == truth
}

@Test func parsesEveryShapeColourSizeAndBackground() throws {
    let parser = SceneParser(grammar: testGrammar)
    var failures: [String] = []
    for background in testGrammar.backgrounds {
        for color in testGrammar.colors {
            for size in testGrammar.sizes {
                let objects = ShapeKind.allCases.prefix(4).enumerated().map { index, shape in
                    SceneObject(shape: shape, color: color, size: size, cell: GridCell.all[[0, 2, 6, 8][index]])
                }
                var scene = Scene(imageSize: 64, cellCenters: testGrammar.cellCenters, background: background, objects: objects)
                if !sameScene(parser.parse(image: try jpegRoundTrip(scene)), scene) { failures.append("\(background) \(color) \(size)") }
                scene.objects = [SceneObject(shape: .cross, color: color, size: size, cell: GridCell(row: 1, column: 1))]
                if !sameScene(parser.parse(image: try jpegRoundTrip(scene)), scene) { failures.append("cross \(background) \(color) \(size)") }
            }
        }
    }
    #expect(failures.isEmpty, "\(failures)")
}

@Test func parsesRandomScenesAfterJPEG() throws {
    let parser = SceneParser(grammar: testGrammar)
    let generator = SceneGenerator(grammar: testGrammar)
    var rng = SeededGenerator(seed: 31)
    var correct = 0
    var failures: [String] = []
    let count = 400
    for _ in 0..<count {
        let sample = generator.sample(using: &rng)
        let parsed = parser.parse(image: try jpegRoundTrip(sample.scene))
        if sameScene(parsed, sample.scene) {
            correct += 1
        } else if failures.count < 5 {
            failures.append("\(sample.scene.objects.map { "\($0.color.name) \($0.shape) \($0.size.name)" }) on \(sample.scene.background.name) -> \(parsed.objects.map { "\($0.color.name) \($0.shape) \($0.size.name)" })")
        }
    }
    #expect(Double(correct) / Double(count) >= 0.99, "\(correct)/\(count): \(failures)")
}

@Test func centroidsSitOnCellCentres() throws {
    let scene = Scene(imageSize: 64, cellCenters: testGrammar.cellCenters, background: background("white"),
                      objects: [SceneObject(shape: .square, color: color("red"), size: size("small"), cell: GridCell(row: 0, column: 2))])
    let object = try #require(SceneParser(grammar: testGrammar).parse(image: ReferenceRenderer.render(scene)).objects.first)
    #expect(abs(object.centroidX - 53) < 1 && abs(object.centroidY - 11) < 1)
    #expect(object.area == 121)
}
