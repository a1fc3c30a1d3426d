import Foundation
import TestSupport
@testable import ShapesWorld

/// The repository's grammar, loaded once for all tests.
let testGrammar: ShapesGrammar = {
    do {
        return try ShapesGrammar.load(from: TestPaths.repositoryRoot.appendingPathComponent("prompts"))
    } catch {
        fatalError("cannot load the test grammar: \(error)")
    }
}()

let testParser = CaptionParser(grammar: testGrammar)

func color(_ name: String) -> NamedColor {
    guard let color = testGrammar.color(named: name) else { fatalError("no colour \(name)") }
    return color
}

func size(_ name: String) -> ObjectSize {
    guard let size = testGrammar.size(named: name) else { fatalError("no size \(name)") }
    return size
}

func background(_ name: String) -> NamedColor {
    guard let background = testGrammar.background(named: name) else { fatalError("no background \(name)") }
    return background
}

func cell(_ name: String) -> GridCell {
    guard let cell = testGrammar.cell(named: name) else { fatalError("no cell \(name)") }
    return cell
}
