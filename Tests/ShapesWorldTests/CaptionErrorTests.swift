import Testing
@testable import ShapesWorld

private func parseError(_ caption: String) -> ShapesWorldError? {
    do {
        _ = try testParser.parse(caption)
        return nil
    } catch {
        return error as? ShapesWorldError
    }
}

@Test func unknownWordIsNamedWithItsPosition() throws {
    let error = try #require(parseError("a magenta circle"))
    #expect(error.code == .unknownWord)
    #expect(error.message == "unknown word 'magenta' at position 3 in \"a magenta circle\"")
}

@Test func misplacedWordsAreSyntaxErrors() throws {
    #expect(parseError("a circle red")?.code == .syntax)
    #expect(parseError("a red")?.code == .syntax)
    #expect(parseError("a red circles")?.code == .syntax)
    #expect(parseError("two red circle")?.code == .syntax)
    #expect(parseError("")?.code == .syntax)
    #expect(parseError("a red circle on a red background")?.code == .syntax)
    #expect(parseError("a red circle on a red background")?.message.contains("position 19") == true)
}

@Test func impossibleScenesAreNamed() throws {
    let five = try #require(parseError("five red circles"))
    #expect(five.code == .impossibleScene)
    #expect(five.message.contains("too many objects: 5"))
    let list = try #require(parseError("a red circle, a blue square, a red cross, a blue diamond and a yellow circle"))
    #expect(list.code == .impossibleScene)
    let sameCell = try #require(parseError("a red circle in the center and a blue square in the middle"))
    #expect(sameCell.message.contains("two objects in one cell"))
    let relation = try #require(parseError("a red circle in the top left below a blue square"))
    #expect(relation.code == .impossibleScene)
    #expect(relation.message.contains("relations cannot hold"))
    #expect(parseError("a red circle in the right to the left of a blue square in the left")?.code == .impossibleScene)
    // Possible though tight: left column versus right column.
    #expect(parseError("a red circle in the left to the left of a blue square in the top right") == nil)
}
