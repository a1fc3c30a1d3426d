/// A training stage's optimisation defaults: what an unset `--steps`, `--batch-size`, `--lr` or
/// `--warmup` takes, written once and shown in the stage's `--help`.
struct StageDefaults {
    let steps: Int
    let batchSize: Int
    let lr: Float
    let warmup: Int

    var help: String { "Defaults: --steps \(steps), --batch-size \(batchSize), --lr \(lr), --warmup \(warmup)." }
}
