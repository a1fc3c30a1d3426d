import ModuleErrors

/// The one error type of the Sampler module: a code, a human message and the underlying cause.
public typealias SamplerError = ModuleError<SamplerErrorCode>

/// The ways the Sampler module fails.
public enum SamplerErrorCode: String, ModuleErrorCode {
    /// Conditioning, seeds or settings that do not fit the model or each other.
    case invalidInput
    /// Latent statistics that cannot be read or do not match the latent channels.
    case invalidStatistics
}
