import Foundation

/// Learning rate as a function of the optimizer step: linear warm-up from 0 over `warmupSteps`,
/// then constant or cosine decay to `minLearningRate` at `totalSteps`.
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case constant, cosine }

    public var kind: Kind
    public var baseLearningRate: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var minLearningRate: Float

    public init(kind: Kind = .cosine, baseLearningRate: Float, warmupSteps: Int = 0, totalSteps: Int, minLearningRate: Float = 0) {
        self.kind = kind; self.baseLearningRate = baseLearningRate; self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps; self.minLearningRate = minLearningRate
    }

    /// The rate for 0-based `step` (step 0 of a warm-up gets base / warmupSteps, not 0).
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return baseLearningRate * Float(step + 1) / Float(warmupSteps) }
        switch kind {
        case .constant: return baseLearningRate
        case .cosine:
            let span = max(totalSteps - warmupSteps, 1)
            let progress = min(Double(step - warmupSteps) / Double(span), 1)
            let cosine = 0.5 * (1 + Foundation.cos(Double.pi * progress))
            return minLearningRate + (baseLearningRate - minLearningRate) * Float(cosine)
        }
    }
}
