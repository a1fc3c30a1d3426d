import Foundation

/// `postgres://user[:password]@host[:port]/dbname[?sslmode=...&sslrootcert=...]`, read once where
/// it enters. Its `description` never shows the password.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    /// libpq's modes: `disable` never uses TLS, `prefer` (the default) uses it when the server
    /// offers it, `require` refuses a server without it; neither checks the server's certificate.
    /// `verify-ca` also refuses a certificate that no authority of `sslrootcert` signed, and
    /// `verify-full` one that does not name the host as well.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"

        public var checksCertificate: Bool { self == .verifyCA || self == .verifyFull }
    }

    /// `sslrootcert`'s value for the system's certificate authorities (as libpq spells it). Any
    /// name can get a certificate from one of them, so, as in libpq, it implies `verify-full` and
    /// no weaker mode may go with it.
    public static let systemRootCertificates = "system"

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var sslMode: SSLMode
    /// The authorities a `verify-*` mode trusts: a PEM file, or `systemRootCertificates`; nil:
    /// libpq's default file (`rootCertificatesFile`).
    public var rootCertificates: String?

    public init(user: String, password: String? = nil, host: String, port: Int = 5432, database: String,
                sslMode: SSLMode = .prefer, rootCertificates: String? = nil) {
        self.user = user
        self.password = password
        self.host = host
        self.port = port
        self.database = database
        precondition(rootCertificates == nil || sslMode.checksCertificate, "sslrootcert needs a verify-* sslmode")
        self.sslMode = sslMode
        self.rootCertificates = rootCertificates
    }

    public init(parsing text: String) throws {
        func reject(_ why: String) -> QueueError {
            // The URL is not echoed: it may hold a password.
            QueueError(.invalidLocation, "the PostgreSQL URL cannot be used: \(why) "
                       + "(expected postgres://user[:password]@host[:port]/dbname[?sslmode=MODE[&sslrootcert=FILE]])")
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
        var sslMode: SSLMode?
        var rootCertificates: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(SSLMode.init(rawValue:)) else {
                    throw reject("sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            case "sslrootcert":
                guard let file = item.value, !file.isEmpty else {
                    throw reject("sslrootcert needs a certificate file, or \(Self.systemRootCertificates)")
                }
                rootCertificates = file
            default:
                throw reject("unknown parameter '\(item.name)'")
            }
        }
        if rootCertificates == Self.systemRootCertificates {
            guard sslMode == nil || sslMode == .verifyFull else {
                throw reject("sslrootcert=system needs sslmode=verify-full (the system's authorities sign certificates for any name)")
            }
            sslMode = .verifyFull
        }
        if rootCertificates != nil, sslMode?.checksCertificate != true {
            throw reject("sslrootcert is only read with sslmode=verify-ca or verify-full")
        }
        // URLComponents keeps the percent-escapes of user and password (e.g. %40 for @).
        self.init(user: components.percentEncodedUser?.removingPercentEncoding ?? user,
                  password: components.percentEncodedPassword?.removingPercentEncoding,
                  host: host, port: port, database: String(path.dropFirst()).removingPercentEncoding ?? String(path.dropFirst()),
                  sslMode: sslMode ?? .prefer, rootCertificates: rootCertificates)
    }

    /// The PEM file of the authorities a `verify-*` mode trusts: `rootCertificates`, else libpq's
    /// `~/.postgresql/root.crt`; nil for the system's.
    public func rootCertificatesFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if rootCertificates == Self.systemRootCertificates { return nil }
        return rootCertificates ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.postgresql/root.crt"
    }

    /// The URL as given, its password left out.
    public var redacted: String {
        var parameters = sslMode == .prefer ? [] : ["sslmode=\(sslMode.rawValue)"]
        if let rootCertificates {
            let allowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))
            parameters.append("sslrootcert=" + (rootCertificates.addingPercentEncoding(withAllowedCharacters: allowed) ?? rootCertificates))
        }
        let query = parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&")
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
