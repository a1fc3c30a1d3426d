import ArgumentParser
import Foundation
import TensorEngine
import Training

extension LearningRateSchedule.Kind: ExpressibleByArgument {}

/// Options every `train` stage takes; unset numbers take the stage's defaults.
struct TrainingArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Training dataset folder (`data generate` output, or images + captions.jsonl).", valueName: "dir"))
    var data: String

    @Option(name: .customLong("val-data"), help: ArgumentHelp("Held-out dataset for validation figures (e.g. `data generate --split eval`).", valueName: "dir"))
    var valData: String?

    @Option(help: ArgumentHelp("Model folder the stage's parts are exported into; the run (checkpoint/, log.jsonl: the learning curve) is kept in <out>/runs/<stage>/.", valueName: "dir"))
    var out: String

    @Option(help: "Optimizer steps.")
    var steps: Int?

    @Option(name: .customLong("batch-size"), help: "Images per step.")
    var batchSize: Int?

    @Option(help: "Peak learning rate (after warm-up, cosine decay to a tenth, or constant then a cool-down to a tenth).")
    var lr: Float?

    @Option(help: "Learning-rate schedule: cosine, or constant with a linear cool-down over the last --cooldown of the steps (a finished run resumed with more --steps continues from before its cool-down).")
    var schedule: LearningRateSchedule.Kind = .cosine

    @Option(help: "Share of the steps the constant schedule cools down over.")
    var cooldown: Double = 0.2

    @Option(help: "Warm-up steps.")
    var warmup: Int?

    @Option(help: "Seed of initialisation, batches and noise.")
    var seed: UInt64 = 0

    @Option(name: .customLong("checkpoint-minutes"), help: "Minutes between checkpoints.")
    var checkpointMinutes: Double = 3

    @Option(name: .customLong("val-every"), help: "Steps between validation passes (0: only at the end).")
    var valEvery: Int = 500

    @Flag(help: "Continue the run in --out from its checkpoint (with the same data and settings).")
    var resume = false

    func validate() throws {
        if let steps, steps <= 0 { throw CLIError("--steps must be positive, got \(steps)") }
        if let batchSize, batchSize <= 0 { throw CLIError("--batch-size must be positive, got \(batchSize)") }
        if let lr, !(lr > 0 && lr.isFinite) { throw CLIError("--lr must be positive, got \(lr)") }
        if let warmup, warmup < 0 { throw CLIError("--warmup must not be negative") }
        if !(checkpointMinutes > 0) { throw CLIError("--checkpoint-minutes must be positive, got \(checkpointMinutes)") }
        if valEvery < 0 { throw CLIError("--val-every must not be negative, got \(valEvery)") }
        if !(0 ... 1).contains(cooldown) { throw CLIError("--cooldown must be in [0, 1], got \(cooldown)") }
    }

    var stageData: StageData {
        StageData(train: URL(fileURLWithPath: data), validation: valData.map { URL(fileURLWithPath: $0) },
                  out: URL(fileURLWithPath: out), resume: resume)
    }

    /// The stage's defaults overridden by what was given.
    func options(_ defaults: StageDefaults) -> TrainingOptions {
        var o = TrainingOptions(steps: steps ?? defaults.steps, batchSize: batchSize ?? defaults.batchSize,
                                learningRate: lr ?? defaults.lr, warmupSteps: warmup ?? defaults.warmup)
        o.seed = seed
        o.scheduleKind = schedule
        o.cooldownFraction = cooldown
        o.checkpointInterval = checkpointMinutes * 60
        o.validationInterval = valEvery
        return o
    }
}
