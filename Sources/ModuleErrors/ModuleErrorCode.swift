/// The codes of one module's `ModuleError`: a `String` enum, one case per way the module fails.
public protocol ModuleErrorCode: RawRepresentable, Hashable, Sendable where RawValue == String {
    /// How an error with this code and message reads; the message itself unless a module says otherwise.
    func describe(_ message: String) -> String
}

extension ModuleErrorCode {
    public func describe(_ message: String) -> String { message }
}
