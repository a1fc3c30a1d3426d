/// The one error type of the Sampler module: a code, a human message and the underlying cause.
public struct SamplerError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Conditioning, seeds or settings that do not fit the model or each other.
        case invalidInput
        /// Latent statistics that cannot be read or do not match the latent channels.
        case invalidStatistics
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
