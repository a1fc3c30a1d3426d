import Foundation

/// Learning rate as a function of the optimizer step: linear warm-up from 0 over `warmupSteps`,
/// then cosine decay to `minLearningRate` at `totalSteps`, or constant with, over the last
/// `cooldownSteps`, a linear cool-down to `minLearningRate` (warm-up, stable, decay: a run made
/// longer continues from before its cool-down with the same rates as one made that long at once).
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case constant, cosine }

    public var kind: Kind
    public var baseLearningRate: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var minLearningRate: Float
    /// `.constant` only: the final steps over which the rate falls linearly to `minLearningRate`.
    public var cooldownSteps: Int

    public init(kind: Kind = .cosine, baseLearningRate: Float, warmupSteps: Int = 0, totalSteps: Int, minLearningRate: Float = 0,
                cooldownSteps: Int = 0) {
        self.kind = kind; self.baseLearningRate = baseLearningRate; self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps; self.minLearningRate = minLearningRate; self.cooldownSteps = cooldownSteps
    }

    /// The first step of the cool-down (`totalSteps` when there is none).
    public var cooldownStart: Int { kind == .constant ? max(totalSteps - cooldownSteps, warmupSteps) : totalSteps }

    /// The rate for 0-based `step` (step 0 of a warm-up gets base / warmupSteps, not 0).
    public func learningRate(at step: Int) -> Float {
        if step < warmupSteps { return baseLearningRate * Float(step + 1) / Float(warmupSteps) }
        switch kind {
        case .constant:
            guard step >= cooldownStart, totalSteps > cooldownStart else { return baseLearningRate }
            let progress = min(Double(step - cooldownStart + 1) / Double(totalSteps - cooldownStart), 1)
            return baseLearningRate + (minLearningRate - baseLearningRate) * Float(progress)
        case .cosine:
            let span = max(totalSteps - warmupSteps, 1)
            let progress = min(Double(step - warmupSteps) / Double(span), 1)
            let cosine = 0.5 * (1 + Foundation.cos(Double.pi * progress))
            return minLearningRate + (baseLearningRate - minLearningRate) * Float(cosine)
        }
    }
}
