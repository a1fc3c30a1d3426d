/// The one error type of the Models module: a code, a human message and the underlying cause
/// (e.g. the `StrictLoadError` naming every missing tensor, or the JSON decoder's error).
public struct ModelError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The model directory, its config.json or model.safetensors cannot be read.
        case unreadableCheckpoint
        /// The checkpoint's tensors do not match the model's parameters (names or shapes).
        case stateDictMismatch
        /// A configuration this implementation does not support, or a config value out of range.
        case unsupportedConfiguration
        /// A weight tensor holds NaN or infinite values.
        case nonFiniteWeights
        /// User input of the wrong shape, dtype or range.
        case invalidInput
        /// Writing a checkpoint failed.
        case cannotSave
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
