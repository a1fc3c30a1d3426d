import ModuleErrors

/// The one error type of the Models module: a code, a human message and the underlying cause
/// (e.g. the `StrictLoadError` naming every missing tensor, or the JSON decoder's error).
public typealias ModelError = ModuleError<ModelErrorCode>

/// The ways the Models module fails.
public enum ModelErrorCode: String, ModuleErrorCode {
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
