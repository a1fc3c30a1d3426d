import Foundation
import Testing
import TestSupport
@testable import ShapesWorld

/// The committed `prompts/eval/shapebench.jsonl` and `prompts/val/shapebench.jsonl` must equal
/// `ShapeBench.prompts(grammar:)` and `ShapeBench.validationPrompts(grammar:)`. To regenerate after
/// changing the grammar or the routine: `FAE_WRITE_SHAPEBENCH=1 swift test --filter ShapeBench`.
@Test(arguments: [ShapeBench.relativePath, ShapeBench.validationRelativePath])
func committedShapeBenchMatchesTheGenerator(relativePath: String) throws {
    let prompts = relativePath == ShapeBench.relativePath
        ? ShapeBench.prompts(grammar: testGrammar) : ShapeBench.validationPrompts(grammar: testGrammar)
    let promptsDirectory = TestPaths.repositoryRoot.appendingPathComponent("prompts")
    let url = promptsDirectory.appendingPathComponent(relativePath)
    if ProcessInfo.processInfo.environment["FAE_WRITE_SHAPEBENCH"] == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try ShapeBench.jsonLines(prompts).write(to: url, atomically: true, encoding: .utf8)
    }
    #expect(try ShapeBench.load(file: url) == prompts)
}

@Test func theValidationSetSharesNoPromptWithTheEvaluationSet() {
    let evaluation = Set(ShapeBench.prompts(grammar: testGrammar).map(\.prompt))
    let validation = ShapeBench.validationPrompts(grammar: testGrammar).map(\.prompt)
    #expect(Set(validation).isDisjoint(with: evaluation))
    #expect(Set(validation).count == validation.count)
}

@Test(arguments: [false, true])
func shapeBenchPromptsParseAndCoverEveryCategory(validation: Bool) throws {
    let prompts = validation ? ShapeBench.validationPrompts(grammar: testGrammar) : ShapeBench.prompts(grammar: testGrammar)
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
