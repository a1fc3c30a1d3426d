/// A user-facing failure of a command: printed as `Error: message`, exit status 1. `cause` keeps
/// the error it reports (for logs and tests); only the message is printed.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    let cause: Error?

    init(_ description: String, cause: Error? = nil) {
        self.description = description
        self.cause = cause
    }
}
