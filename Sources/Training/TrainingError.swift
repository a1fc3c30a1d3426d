import ModuleErrors

/// A training command's failure: bad data, a checkpoint that does not match, a stage that is
/// missing its inputs; or a run the user stopped (`interrupted`), which is no failure.
public typealias TrainingError = ModuleError<TrainingErrorCode>

/// The ways a training command ends without finishing.
public enum TrainingErrorCode: String, ModuleErrorCode {
    case invalidArgument
    case invalidData
    case checkpointMismatch
    case missingInput
    case cannotWrite
    /// Stopped on request (Ctrl-C, SIGTERM) after saving its checkpoint: resume continues it.
    case interrupted
}

extension TrainingError {
    /// For a `checkpointMismatch` over one run setting, that setting's key (`text_positions`, ...),
    /// so a command can say how to resume without matching the message's text. It is looked up
    /// through the causes, so an error that wraps the mismatch with more advice still names it.
    public var setting: String? {
        if let mismatch = cause as? CheckpointSettingMismatch { return mismatch.setting }
        return (cause as? TrainingError)?.setting
    }

    /// The run `name` stopped after `step` of `total` steps with its checkpoint saved.
    static func interrupted(_ name: String, step: Int, of total: Int) -> TrainingError {
        TrainingError(.interrupted, "\(name): stopped at step \(step)/\(total); resume with --resume")
    }
}
