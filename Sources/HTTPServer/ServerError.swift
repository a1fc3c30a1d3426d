import ModuleErrors

/// Why the server cannot start: its settings, as given.
public typealias ServerError = ModuleError<ServerErrorCode>

public enum ServerErrorCode: String, ModuleErrorCode {
    case insecureBinding   // a non-loopback address without a token
    case invalidSetting    // a port, token file or origin that cannot be used
}
