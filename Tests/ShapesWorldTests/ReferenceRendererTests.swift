import ImageCodec
import Testing
@testable import ShapesWorld

private func scene(_ objects: [SceneObject], background: String = "white") -> Scene {
    Scene(imageSize: 64, cellCenters: [11, 32, 53], background: testGrammar.background(named: background)!, objects: objects)
}

@Test func exactColoursAtCentresAndCorners() throws {
    for backgroundName in ["white", "black", "gray"] {
        var objects: [SceneObject] = []
        for (index, shape) in ShapeKind.allCases.enumerated() {
            objects.append(SceneObject(shape: shape, color: testGrammar.colors[index], size: testGrammar.sizes[index % 2],
                                       cell: GridCell.all[index * 2]))
        }
        for part in stride(from: 0, to: objects.count, by: 4) {
            let piece = Array(objects[part..<min(objects.count, part + 4)])
            let image = ReferenceRenderer.render(scene(piece, background: backgroundName))
            let backgroundColor = testGrammar.background(named: backgroundName)!.rgb
            for (x, y) in [(0, 0), (63, 0), (0, 63), (63, 63)] {
                #expect(image.pixel(x: x, y: y) == backgroundColor)
            }
            for object in piece {
                let center = (x: 11 + 21 * object.cell.column, y: 11 + 21 * object.cell.row)
                // Triangles are thin at the top: sample slightly below the centre.
                let y = object.shape == .triangle ? center.y + 2 : center.y
                #expect(image.pixel(x: center.x, y: y) == object.color.rgb, "\(object.shape)")
            }
        }
    }
}

@Test func renderingIsDeterministic() throws {
    let world = ShapesWorld(grammar: testGrammar)
    let (sceneA, imageA) = try world.render(prompt: "three red circles on a gray background", seed: 11)
    let (sceneB, imageB) = try world.render(prompt: "three red circles on a gray background", seed: 11)
    #expect(sceneA == sceneB && imageA == imageB)
    let (_, imageC) = try world.render(prompt: "three red circles on a gray background", seed: 12)
    #expect(imageA != imageC)
}

@Test func triangleApexIsUp() throws {
    let triangle = SceneObject(shape: .triangle, color: testGrammar.colors[0], size: testGrammar.sizes[1], cell: GridCell(row: 1, column: 1))
    let image = ReferenceRenderer.render(scene([triangle]))
    let background = image.pixel(x: 0, y: 0)
    func width(ofRow y: Int) -> Int { (0..<64).filter { image.pixel(x: $0, y: y) != background }.count }
    let (x0, y0, side) = scene([triangle]).boundingBox(of: triangle)
    let widths = (y0..<(y0 + side)).map(width(ofRow:))
    #expect(widths.first! < widths.last!)
    #expect(zip(widths, widths.dropFirst()).allSatisfy { $0 <= $1 })
    #expect(widths.last! >= side - 1)
    _ = x0
}

@Test func shapesHaveTheirExpectedArea() throws {
    // Coverage-weighted area relative to the bounding box.
    let expected: [ShapeKind: Double] = [.square: 1, .circle: Double.pi / 4, .triangle: 0.5, .diamond: 0.5, .cross: 5.0 / 9.0]
    for shape in ShapeKind.allCases {
        let object = SceneObject(shape: shape, color: color("blue"), size: size("large"), cell: GridCell(row: 1, column: 1))
        let image = ReferenceRenderer.render(scene([object], background: "black"))
        var coverage = 0.0
        for y in 0..<64 { for x in 0..<64 { coverage += Double(Int(image.pixel(x: x, y: y).blue) - 15) / Double(210 - 15) } }
        #expect(abs(coverage / (18 * 18) - expected[shape]!) < 0.02, "\(shape)")
    }
}

@Test func renderedSceneSurvivesJPEG() throws {
    let (_, image) = try ShapesWorld(grammar: testGrammar).render(prompt: "a red circle to the left of a blue square", seed: 3)
    let decoded = try JPEG.decode(JPEG.encode(image, quality: 95))
    #expect(try decoded.psnr(to: image) > 35)
}
