import ModuleErrors

/// The one error type of Digest: a file that could not be read to hash it, named in the message,
/// with the read error as its cause.
public typealias DigestError = ModuleError<DigestErrorCode>

/// The ways Digest fails.
public enum DigestErrorCode: String, ModuleErrorCode {
    case unreadableFile
}
