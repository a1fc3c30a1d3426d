import Foundation
import Testing
import TestSupport
@testable import ShapesWorld

/// The committed `prompts/eval/shapebench.jsonl` must equal `ShapeBench.prompts(grammar:)`.
/// To regenerate after changing the grammar or the routine: `FAE_WRITE_SHAPEBENCH=1 swift test --filter ShapeBench`.
@Test func committedShapeBenchMatchesTheGenerator() throws {
    let prompts = ShapeBench.prompts(grammar: testGrammar)
    let promptsDirectory = TestPaths.repositoryRoot.appendingPathComponent("prompts")
    let url = promptsDirectory.appendingPathComponent(ShapeBench.relativePath)
    if ProcessInfo.processInfo.environment["FAE_WRITE_SHAPEBENCH"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ShapeBench.jsonLines(prompts).write(to: url, atomically: true, encoding: .utf8)
    }
    #expect(try ShapeBench.load(from: promptsDirectory) == prompts)
}

@Test func shapeBenchPromptsParseAndCoverEveryCategory() throws {
    let prompts = ShapeBench.prompts(grammar: testGrammar)
    for category in ShapeBenchCategory.allCases {
        let count = prompts.filter { $0.category == category }.count
        #expect((20...50).contains(count), "\(category.rawValue): \(count)")
    }
    for prompt in prompts {
        let spec = try testParser.parse(prompt.prompt)
        let usesHeldOut = spec.objects.contains { object in object.color.map { testGrammar.isHeldOut(color: $0, shape: object.shape) } ?? false }
        #expect(usesHeldOut == (prompt.category == .novel), "\(prompt.prompt)")
    }
    for category in ShapeBenchCategory.allCases {
        let texts = prompts.filter { $0.category == category }.map(\.prompt)
        #expect(Set(texts).count * 10 >= texts.count * 9, "\(category.rawValue) repeats prompts")
    }
}

@Test func demoPromptsParse() throws {
    let url = TestPaths.repositoryRoot.appendingPathComponent("prompts/demo.txt")
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    #expect(lines.count >= 5)
    for line in lines { _ = try testParser.parse(line) }
}
