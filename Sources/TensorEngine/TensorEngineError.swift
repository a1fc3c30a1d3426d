/// The one error type of the TensorEngine module.
///
/// Programmer errors inside the engine (an op called with inconsistent internal shapes) are
/// preconditions; anything that can come from user data (weights, configs, inputs) is thrown as this.
public struct TensorEngineError: Error, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        case shapeMismatch
        case missingParameter
        case unusedParameter
        case invalidArgument
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "TensorEngineError.\(code.rawValue): \(message)" }
}
