import ModuleErrors

/// The one error type of the TextToImage module: a code, a human message and the underlying cause.
public typealias TextToImageError = ModuleError<TextToImageErrorCode>

/// The ways the TextToImage module fails.
public enum TextToImageErrorCode: String, ModuleErrorCode {
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

extension TextToImageError {
    /// For `incompleteModel`: the missing paths, relative to the model folder, which its
    /// `MissingModelParts` cause carries; empty for every other error.
    public var missing: [String] { (cause as? MissingModelParts)?.paths ?? [] }
}
