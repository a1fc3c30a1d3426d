/// The error type each module specialises with its own codes, e.g.
/// `public typealias SamplerError = ModuleError<SamplerErrorCode>`: a code to branch on, a one-line
/// message for people, and the underlying error when another library or module failed first (or,
/// where a caller needs more than the code, a small error value carrying that detail).
///
/// Each specialisation is its own type, so `catch let error as SamplerError` catches only the
/// Sampler's errors. Equality compares code and message (a cause need not be comparable).
public struct ModuleError<Kind: ModuleErrorCode>: Error, CustomStringConvertible, Equatable {
    /// The module's code enum, as `SamplerError.Code`.
    public typealias Code = Kind

    public let code: Code
    public let message: String
    public let cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { code.describe(message) }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }
}
