import TensorEngine

/// Optimisation settings shared by every training stage.
public struct TrainingOptions: Sendable, Equatable {
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Float
    public var warmupSteps: Int
    /// Cosine decay, or the cool-down of the constant schedule, ends at learningRate * this.
    public var finalLearningRateFraction: Float = 0.1
    /// `.cosine`, or `.constant` with a linear cool-down over the last `cooldownFraction` of the
    /// steps; a constant run made longer (`--resume` with more `--steps`) continues from the
    /// checkpoint kept at the start of its cool-down (`TrainingRun`), so no warm restart.
    public var scheduleKind: LearningRateSchedule.Kind = .cosine
    public var cooldownFraction: Double = 0.2
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
        LearningRateSchedule(kind: scheduleKind, baseLearningRate: learningRate, warmupSteps: min(warmupSteps, steps),
                             totalSteps: steps, minLearningRate: learningRate * finalLearningRateFraction,
                             cooldownSteps: scheduleKind == .constant ? Int((Double(steps) * cooldownFraction).rounded()) : 0)
    }

    public func validate() throws {
        guard steps > 0 else { throw TrainingError(.invalidArgument, "--steps must be positive, got \(steps)") }
        guard batchSize > 0 else { throw TrainingError(.invalidArgument, "--batch-size must be positive, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else { throw TrainingError(.invalidArgument, "--lr must be positive, got \(learningRate)") }
        guard warmupSteps >= 0 else { throw TrainingError(.invalidArgument, "--warmup must not be negative") }
        guard (0 ... 1).contains(cooldownFraction) else { throw TrainingError(.invalidArgument, "--cooldown must be in [0, 1], got \(cooldownFraction)") }
        if let emaDecay, !(emaDecay > 0 && emaDecay < 1) { throw TrainingError(.invalidArgument, "EMA decay must be in (0, 1), got \(emaDecay)") }
    }
}
