import Testing
@testable import ShapesWorld

@Test func splitMixGoldenValues() {
    // Reference values of SplitMix64 (Vigna's splitmix64.c) for seed 0 and 42.
    var zero = SeededGenerator(seed: 0)
    #expect([zero.next(), zero.next(), zero.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    var answer = SeededGenerator(seed: 42)
    #expect(answer.next() == 0xBDD7_3226_2FEB_6E95)
}

@Test func uniformIndexIsDeterministicAndInRange() {
    var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
    let first = (0..<1000).map { _ in a.uniformIndex(below: 9) }
    #expect(first == (0..<1000).map { _ in b.uniformIndex(below: 9) })
    #expect(first.allSatisfy { (0..<9).contains($0) })
    #expect(Set(first).count == 9)
}

@Test func sceneForSeedIsStable() throws {
    // Golden scene: changing the draw order or the generator changes every dataset; do it on purpose only.
    var rng = SeededGenerator(seed: 7)
    let scene = try testParser.parse("a red circle to the left of a blue square").resolve(using: &rng)
    var again = SeededGenerator(seed: 7)
    #expect(try testParser.parse("a red circle to the left of a blue square").resolve(using: &again) == scene)
    #expect(scene.objects.map(\.cell) == goldenCells)
    #expect(scene.background.name == goldenBackground)
}

// Recorded from the first run of sceneForSeedIsStable.
private let goldenCells = [GridCell(row: 1, column: 0), GridCell(row: 0, column: 2)]
private let goldenBackground = "white"
