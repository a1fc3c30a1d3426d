import TensorEngine

/// Optimisation settings shared by every training stage.
public struct TrainingOptions: Sendable, Equatable {
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Float
    public var warmupSteps: Int
    /// Cosine decay ends at learningRate * this.
    public var finalLearningRateFraction: Float = 0.1
    public var weightDecay: Float = 0.01
    public var beta2: Float = 0.99
    /// Global gradient-norm clip; nil disables it.
    public var gradientClip: Float? = 1
    /// EMA of the weights (saved as the final model when set).
    public var emaDecay: Float? = nil
    /// Seconds between checkpoints.
    public var checkpointInterval: Double = 180
    /// Steps between validation passes (0: only at the end).
    public var validationInterval: Int = 0
    /// Steps averaged into one line of `log.jsonl`.
    public var logInterval: Int = 25
    public var seed: UInt64 = 0

    public init(steps: Int, batchSize: Int, learningRate: Float, warmupSteps: Int = 100) {
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.warmupSteps = warmupSteps
    }

    public var schedule: LearningRateSchedule {
        LearningRateSchedule(kind: .cosine, baseLearningRate: learningRate, warmupSteps: min(warmupSteps, steps),
                             totalSteps: steps, minLearningRate: learningRate * finalLearningRateFraction)
    }

    public func validate() throws {
        guard steps > 0 else { throw TrainingError(.invalidArgument, "--steps must be positive, got \(steps)") }
        guard batchSize > 0 else { throw TrainingError(.invalidArgument, "--batch-size must be positive, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else { throw TrainingError(.invalidArgument, "--lr must be positive, got \(learningRate)") }
        guard warmupSteps >= 0 else { throw TrainingError(.invalidArgument, "--warmup must not be negative") }
        if let emaDecay, !(emaDecay > 0 && emaDecay < 1) { throw TrainingError(.invalidArgument, "EMA decay must be in (0, 1), got \(emaDecay)") }
    }
}
