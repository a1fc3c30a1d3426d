import ShapesWorld

/// The result of `eval shapebench`: per-category accuracies, their mean and the Fréchet distance
/// of the generated images' encoder features to those of reference renders of the same prompts
/// and seeds, and per category why the rejected images failed. JSON keys: overall, categories, failures
/// (category -> failure kind -> images), standard_error (of overall), fd, images, seconds.
public struct ShapeBenchReport: Encodable, Sendable {
    public var score: ShapeBenchScore
    /// nil when there was no encoder or fewer than two images.
    public var fd: Double?
    public var images: Int
    public var seconds: Double

    public var overall: Double { score.overall }
    public var standardError: Double { score.standardError }
    public var categories: [String: Double] {
        var result: [String: Double] = [:]
        for category in ShapeBenchCategory.allCases { if let a = score.accuracy(category) { result[category.rawValue] = a } }
        return result
    }

    public var failures: [String: [String: Int]] {
        var result: [String: [String: Int]] = [:]
        for (category, kinds) in score.failures {
            result[category.rawValue] = Dictionary(uniqueKeysWithValues: kinds.map { ($0.key.rawValue, $0.value) })
        }
        return result
    }

    enum CodingKeys: String, CodingKey { case overall, categories, failures, standardError = "standard_error", fd, images, seconds }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(overall, forKey: .overall)
        try c.encode(categories, forKey: .categories)
        try c.encode(failures, forKey: .failures)
        try c.encode(standardError, forKey: .standardError)
        try c.encode(fd, forKey: .fd)
        try c.encode(images, forKey: .images)
        try c.encode(seconds, forKey: .seconds)
    }
}
