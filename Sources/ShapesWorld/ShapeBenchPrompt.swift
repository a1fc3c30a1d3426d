/// One evaluation prompt: a line of `prompts/eval/shapebench.jsonl`.
public struct ShapeBenchPrompt: Equatable, Codable, Sendable {
    public var category: ShapeBenchCategory
    public var prompt: String

    public init(category: ShapeBenchCategory, prompt: String) {
        self.category = category
        self.prompt = prompt
    }
}
