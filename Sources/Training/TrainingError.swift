/// A training command's failure: bad data, a checkpoint that does not match, a stage that is
/// missing its inputs; or a run the user stopped (`interrupted`), which is no failure.
public struct TrainingError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidArgument
        case invalidData
        case checkpointMismatch
        case missingInput
        case cannotWrite
        /// Stopped on request (Ctrl-C, SIGTERM) after saving its checkpoint: resume continues it.
        case interrupted
    }

    public let code: Code
    public let message: String
    public let cause: Error?
    /// For a `checkpointMismatch` over one run setting, that setting's key (`text_positions`, ...),
    /// so a command can say how to resume without matching the message's text.
    public let setting: String?

    public init(_ code: Code, _ message: String, cause: Error? = nil, setting: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.setting = setting
    }

    public var description: String { message }

    /// The run `name` stopped after `step` of `total` steps with its checkpoint saved.
    static func interrupted(_ name: String, step: Int, of total: Int) -> TrainingError {
        TrainingError(.interrupted, "\(name): stopped at step \(step)/\(total); resume with --resume")
    }
}
