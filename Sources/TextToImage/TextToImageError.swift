/// The one error type of the TextToImage module: a code, a human message and the underlying cause.
public struct TextToImageError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The model folder lacks parts (`missing` names them).
        case incompleteModel
        /// The parts exist but cannot be read or do not fit each other.
        case invalidModel
        /// Prompts, seeds or settings that cannot be generated.
        case invalidInput
        /// The model computed NaN or infinite values: its weights or settings are broken, so the
        /// same request fails again.
        case nonFiniteOutput
    }

    public let code: Code
    public let message: String
    /// For `incompleteModel`: the missing paths, relative to the model folder.
    public let missing: [String]
    public let cause: Error?

    public init(_ code: Code, _ message: String, missing: [String] = [], cause: Error? = nil) {
        self.code = code
        self.message = message
        self.missing = missing
        self.cause = cause
    }

    public var description: String { message }
}
