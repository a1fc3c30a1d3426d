import Foundation

/// Accuracies per ShapeBench category and their mean (the overall score), and why the rejected
/// images failed.
public struct ShapeBenchScore: Equatable, Sendable, CustomStringConvertible {
    public private(set) var correct: [ShapeBenchCategory: Int] = [:]
    public private(set) var total: [ShapeBenchCategory: Int] = [:]
    public private(set) var failures: [ShapeBenchCategory: [ShapeBenchFailure: Int]] = [:]

    public init() {}

    /// Records one judged image: `failure` nil means it passed.
    public mutating func record(_ category: ShapeBenchCategory, failure: ShapeBenchFailure?) {
        total[category, default: 0] += 1
        if let failure {
            failures[category, default: [:]][failure, default: 0] += 1
        } else {
            correct[category, default: 0] += 1
        }
    }

    public func accuracy(_ category: ShapeBenchCategory) -> Double? {
        guard let count = total[category], count > 0 else { return nil }
        return Double(correct[category] ?? 0) / Double(count)
    }

    /// Mean of the accuracies of the categories that were scored.
    public var overall: Double {
        let accuracies = ShapeBenchCategory.allCases.compactMap(accuracy)
        return accuracies.isEmpty ? 0 : accuracies.reduce(0, +) / Double(accuracies.count)
    }

    /// Standard error of `overall`, each image counted as an independent pass-or-fail draw:
    /// sqrt(sum over categories of p (1 - p) / n) / categories. For a fixed prompt set this bounds
    /// the spread from seed to seed from above (prompts of unequal difficulty pass or fail more
    /// predictably than the binomial assumes); two models judged on the same prompts and seeds are
    /// compared more tightly image by image (`scripts/compare_shapebench.py`).
    public var standardError: Double {
        let variances = ShapeBenchCategory.allCases.compactMap { category -> Double? in
            guard let p = accuracy(category), let n = total[category] else { return nil }
            return p * (1 - p) / Double(n)
        }
        return variances.isEmpty ? 0 : variances.reduce(0, +).squareRoot() / Double(variances.count)
    }

    public var description: String {
        let parts = ShapeBenchCategory.allCases.compactMap { category in
            accuracy(category).map { "\(category.rawValue) \(String(format: "%.3f", $0))" }
        }
        return "ShapeBench \(String(format: "%.3f", overall)) (\(parts.joined(separator: ", ")))"
    }
}
