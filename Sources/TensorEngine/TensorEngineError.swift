import ModuleErrors

/// The one error type of the TensorEngine module.
///
/// Programmer errors inside the engine (an op called with inconsistent internal shapes) are
/// preconditions; anything that can come from user data (weights, configs, inputs) is thrown as this.
public typealias TensorEngineError = ModuleError<TensorEngineErrorCode>

/// The ways the TensorEngine module fails.
public enum TensorEngineErrorCode: String, ModuleErrorCode {
    case shapeMismatch
    case missingParameter
    case unusedParameter
    case invalidArgument

    public func describe(_ message: String) -> String { "TensorEngineError.\(rawValue): \(message)" }
}
