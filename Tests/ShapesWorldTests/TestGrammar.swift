import Foundation
import TestSupport
@testable import ShapesWorld

/// TestSupport's grammar, visible to every file of this suite.
let testGrammar = TestSupport.testGrammar

let testParser = CaptionParser(grammar: testGrammar)

func color(_ name: String) -> NamedColor { required(testGrammar.color(named: name), "no colour \(name)") }

func size(_ name: String) -> ObjectSize { required(testGrammar.size(named: name), "no size \(name)") }

func background(_ name: String) -> NamedColor { required(testGrammar.background(named: name), "no background \(name)") }

func cell(_ name: String) -> GridCell { required(testGrammar.cell(named: name), "no cell \(name)") }

/// A grammar lookup the tests rely on: a missing word is a broken fixture, not a test failure.
private func required<T>(_ value: T?, _ problem: @autoclosure () -> String) -> T {
    guard let value else { fatalError(problem()) }
    return value
}
