import Foundation

/// `postgres://user[:password]@host[:port]/dbname[?sslmode=...]`, read once where it enters.
/// Its `description` never shows the password.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// libpq's modes that fae-t2i supports: `disable` never uses TLS, `prefer` (the default) uses it
    /// when the server offers it, `require` refuses a server without it.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode

    public init(user: String, password: String? = nil, host: String, port: Int = 5432, database: String,
                sslMode: SSLMode = .prefer) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        self.sslMode = sslMode
    }

    public init(parsing text: String) throws {
        func reject(_ why: String) -> QueueError {
            // The URL is not echoed: it may hold a password.
            QueueError(.invalidLocation, "the PostgreSQL URL cannot be used: \(why) "
                       + "(expected postgres://user[:password]@host[:port]/dbname[?sslmode=disable|prefer|require])")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql" else {
            throw reject("it is not a well-formed URL")
        }
        guard let user = components.user, !user.isEmpty else { throw reject("it names no user") }
        guard let host = components.host, !host.isEmpty else { throw reject("it names no host") }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw reject("port \(port) is out of range") }
        let path = components.path
        guard path.hasPrefix("/"), path.count > 1, !path.dropFirst().contains("/") else {
            throw reject("it names no database (the path after the host)")
        }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw reject("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            default:
                throw reject("unknown parameter '\(item.name)'")
            }
        }
        // URLComponents keeps the percent-escapes of user and password (e.g. %40 for @).
        self.init(user: components.percentEncodedUser?.removingPercentEncoding ?? user,
                  password: components.percentEncodedPassword?.removingPercentEncoding,
                  host: host, port: port, database: String(path.dropFirst()).removingPercentEncoding ?? String(path.dropFirst()),
                  sslMode: sslMode)
    }

    /// The URL as given, its password left out.
    public var redacted: String {
        let query = sslMode == .prefer ? "" : "?sslmode=\(sslMode.rawValue)"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "postgres://\(user)@\(shownHost):\(port)/\(database)\(query)"
    }

    public var description: String { redacted }

    /// The password from the URL, else `PGPASSWORD`, else the first matching line of the
    /// password file (`PGPASSFILE`, default `~/.pgpass`), as libpq looks for it. Nil: none given.
    public func resolvedPassword(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let password { return password }
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        let file = environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"
        return PasswordFile(path: file).password(host: host, port: port, database: database, user: user)
    }
}
