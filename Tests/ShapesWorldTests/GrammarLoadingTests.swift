import Foundation
import ImageCodec
import Testing
import TestSupport
@testable import ShapesWorld

@Test func grammarMatchesTheDesign() throws {
    let grammar = testGrammar
    #expect(grammar.imageSize == 64)
    #expect(grammar.cellCenters == [11, 32, 53])
    #expect(grammar.maxObjects == 4)
    let palette = Dictionary(uniqueKeysWithValues: grammar.colors.map { ($0.name, $0.rgb) })
    #expect(palette == [
        "red": RGBColor(220, 40, 40), "orange": RGBColor(245, 140, 30), "yellow": RGBColor(240, 220, 40),
        "green": RGBColor(40, 170, 70), "cyan": RGBColor(40, 200, 220), "blue": RGBColor(40, 70, 210),
        "purple": RGBColor(140, 60, 190), "pink": RGBColor(245, 130, 190),
    ])
    #expect(grammar.backgrounds.map(\.rgb) == [RGBColor(250, 250, 250), RGBColor(15, 15, 15), RGBColor(128, 128, 128)])
    #expect(grammar.sizes == [ObjectSize(name: "small", pixels: 11), ObjectSize(name: "large", pixels: 18)])
    #expect(grammar.heldOutPairs == [
        ColorShapePair(color: "purple", shape: .triangle), ColorShapePair(color: "orange", shape: .circle),
        ColorShapePair(color: "cyan", shape: .square), ColorShapePair(color: "pink", shape: .diamond),
        ColorShapePair(color: "green", shape: .cross),
    ])
    #expect(grammar.cellNames == ["top left", "top", "top right", "left", "center", "right", "bottom left", "bottom", "bottom right"])
}

@Test func missingOrBrokenGrammarIsAClearError() throws {
    let folder = try TestPaths.temporaryDirectory("grammar")
    #expect(throws: ShapesWorldError.self) { try ShapesGrammar.load(from: folder) }
    try Data("{\"image_size\": 64}".utf8).write(to: folder.appendingPathComponent(ShapesGrammar.fileName))
    do {
        _ = try ShapesGrammar.load(from: folder)
        Issue.record("expected an error")
    } catch let error as ShapesWorldError {
        #expect(error.code == .grammarFile)
        #expect(error.message.contains(ShapesGrammar.fileName))
    }
}
