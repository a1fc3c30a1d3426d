import Foundation

/// How `serve` listens and whom it lets in.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port; `onListening` is told which.
    public var port: Int
    /// With a token every route but `/healthz` and the gallery's static files needs
    /// `Authorization: Bearer <token>`.
    public var token: String?
    /// The one origin allowed cross-origin requests; none when nil.
    public var corsOrigin: String?
    public var maxBodyBytes = 64 * 1024
    /// Per client address: a bucket of `submitBurst` submits refilled at `submitsPerSecond`.
    public var submitsPerSecond = 20.0
    public var submitBurst = 40.0
    /// A connection idle (or a client this slow to send) this long is closed.
    public var idleTimeoutSeconds = 30
    /// A submit's whole body must arrive within this (408 otherwise).
    public var bodyTimeoutSeconds = 10
    /// How often an event stream looks at its job.
    public var eventPollSeconds = 0.2

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, corsOrigin: String? = nil) {
        self.host = host
        self.port = port
        self.token = token
        self.corsOrigin = corsOrigin
    }

    /// Refuses settings that would expose the queue: a non-loopback address needs a token.
    public func validate() throws {
        guard (0...65_535).contains(port) else { throw ServerError(.invalidSetting, "port must be between 0 and 65535, got \(port)") }
        if let token, token.isEmpty || token.contains(where: \.isWhitespace) {
            throw ServerError(.invalidSetting, "the token must be non-empty and hold no whitespace")
        }
        if token == nil, !Self.isLoopback(host) {
            throw ServerError(.insecureBinding, "refusing to listen on \(host) without a token: give --token-file or FAE_T2I_TOKEN, or bind to 127.0.0.1")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
