import ShapesWorld

/// What the judge decided for one generated image, and what the scene parser saw in it: the line
/// `eval shapebench --details` writes per image, so failures can be counted by kind (a wrong shape,
/// a missing object, a relation that does not hold) instead of guessed from the accuracies.
public struct ShapeBenchVerdict: Encodable, Sendable {
    public var promptIndex: Int
    public var sample: Int
    public var seed: UInt64
    public var category: ShapeBenchCategory
    public var prompt: String
    /// nil when the image passed.
    public var failure: ShapeBenchFailure?
    public var parsed: ParsedScene

    public var correct: Bool { failure == nil }

    public init(promptIndex: Int, sample: Int, seed: UInt64, category: ShapeBenchCategory, prompt: String,
                failure: ShapeBenchFailure?, parsed: ParsedScene) {
        self.promptIndex = promptIndex
        self.sample = sample
        self.seed = seed
        self.category = category
        self.prompt = prompt
        self.failure = failure
        self.parsed = parsed
    }

    enum CodingKeys: String, CodingKey {
        case promptIndex = "prompt_index", sample, seed, category, prompt, correct, failure, background, objects
    }

    enum ObjectKeys: String, CodingKey { case shape, color, size, row, column, x, y, area }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(promptIndex, forKey: .promptIndex)
        try container.encode(sample, forKey: .sample)
        try container.encode(seed, forKey: .seed)
        try container.encode(category, forKey: .category)
        try container.encode(prompt, forKey: .prompt)
        try container.encode(correct, forKey: .correct)
        try container.encode(failure, forKey: .failure)
        try container.encode(parsed.background.name, forKey: .background)
        var objects = container.nestedUnkeyedContainer(forKey: .objects)
        for object in parsed.objects {
            var fields = objects.nestedContainer(keyedBy: ObjectKeys.self)
            try fields.encode(object.shape, forKey: .shape)
            try fields.encode(object.color.name, forKey: .color)
            try fields.encode(object.size.name, forKey: .size)
            try fields.encode(object.cell.row, forKey: .row)
            try fields.encode(object.cell.column, forKey: .column)
            // Pixel positions and areas to 0.1: finer digits are parser noise.
            try fields.encode((object.centroidX * 10).rounded() / 10, forKey: .x)
            try fields.encode((object.centroidY * 10).rounded() / 10, forKey: .y)
            try fields.encode((object.area * 10).rounded() / 10, forKey: .area)
        }
    }
}
