/// A training command's failure: bad data, a checkpoint that does not match, a stage that is
/// missing its inputs.
public struct TrainingError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidArgument
        case invalidData
        case checkpointMismatch
        case missingInput
        case cannotWrite
    }

    public let code: Code
    public let message: String
    public let cause: Error?

    public init(_ code: Code, _ message: String, cause: Error? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
