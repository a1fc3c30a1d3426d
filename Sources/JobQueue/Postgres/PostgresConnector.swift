import Foundation
import Logging
import PostgresNIO

/// How the queue connects to its server: the URL, the password found for it, TLS as `sslmode`
/// asks, and the timeouts. Makes the pool's configuration and the single connections (the first
/// one at open, the one that listens for work).
struct PostgresConnector: Sendable {
    let url: PostgresURL
    let password: String?
    let readOnly: Bool
    let connectTimeout: Duration
    let logger: Logger
    /// TLS as `sslmode` asks; nil for `disable`.
    let tlsConfiguration: TLSConfiguration?
    /// The single connections' TLS, its context made once: it reads the authorities' file, and
    /// the work watcher connects again after every loss of its connection.
    let connectionTLS: PostgresConnection.Configuration.TLS

    /// Throws `invalidLocation` when a `verify-*` mode's certificate authorities cannot be read.
    init(url: PostgresURL, readOnly: Bool, connectTimeout: Duration, logger: Logger,
         environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.url = url
        self.password = url.resolvedPassword(environment: environment)
        self.readOnly = readOnly
        self.connectTimeout = connectTimeout
        self.logger = logger
        let tlsConfiguration = try Self.tlsConfiguration(for: url, environment: environment)
        self.tlsConfiguration = tlsConfiguration
        do {
            switch (url.sslMode, tlsConfiguration) {
            case (.prefer, let configuration?): connectionTLS = .prefer(try NIOSSLContext(configuration: configuration))
            case (_, let configuration?): connectionTLS = .require(try NIOSSLContext(configuration: configuration))
            case (_, nil): connectionTLS = .disable
            }
        } catch {
            let hint = url.sslMode.checksCertificate ? " (sslrootcert must name a PEM file of certificates)" : ""
            throw QueueError(.invalidLocation, "cannot set up TLS for PostgreSQL at \(url.host):\(url.port)\(hint): \(error)", cause: error)
        }
    }

    /// `prefer` and `require` encrypt without checking the certificate; `verify-ca` checks that
    /// one of the trusted authorities signed it, `verify-full` also that it names the URL's host
    /// or, unlike libpq, the address connected to (NIOSSL matches a certificate's IP addresses
    /// against the socket's).
    static func tlsConfiguration(for url: PostgresURL, environment: [String: String]) throws -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case .disable: return nil
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: configuration.certificateVerification = .fullVerification
        }
        guard url.sslMode.checksCertificate else { return configuration }
        guard let file = url.rootCertificatesFile(environment: environment) else {
            configuration.trustRoots = .default
            return configuration
        }
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw QueueError(.invalidLocation,
                "sslmode=\(url.sslMode.rawValue) checks the server's certificate against the authorities in \(file), which cannot be read "
                + "(name a PEM file with sslrootcert=FILE, or trust the system's with sslrootcert=system)")
        }
        configuration.trustRoots = .file(file)
        return configuration
    }

    /// Shown in `pg_stat_activity`; a read-only queue also asks the server to refuse writes.
    var startupParameters: [(String, String)] {
        var parameters = [("application_name", "fae-t2i")]
        if readOnly { parameters.append(("default_transaction_read_only", "on")) }
        return parameters
    }

    func clientConfiguration(maximumConnections: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch (url.sslMode, tlsConfiguration) {
        case (.prefer, let configuration?): tls = .prefer(configuration)
        case (_, let configuration?): tls = .require(configuration)
        case (_, nil): tls = .disable
        }
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.user, password: password,
                                                         database: url.database, tls: tls)
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = startupParameters
        configuration.options.maximumConnections = maximumConnections
        // The pool arms a timer each time it takes a connection back: a keep-alive timer for
        // each, an idle timer for those beyond the minimum. At thousands of statements a second
        // those timers cost a worker more than its statements do, so there are no keep-alives
        // (a dead connection fails its next statement, or the operation's deadline ends it) and
        // one connection that is always kept.
        configuration.options.minimumConnections = 1
        configuration.options.keepAliveBehavior = nil
        return configuration
    }

    func connectionConfiguration() -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: password,
                                                             database: url.database, tls: connectionTLS)
        configuration.options.connectTimeout = .nanoseconds(Int64(connectTimeout.components.seconds) * 1_000_000_000
                                                            + connectTimeout.components.attoseconds / 1_000_000_000)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    private static let connectionIDs = Locked(0)

    /// Closes `connection` without waiting, holding on to it until it is closed (postgres-nio
    /// wants a connection closed before it is freed).
    static func close(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    /// One connection of its own, or a one-line `QueueError` within about `connectTimeout`: the
    /// server out of reach, the password refused, the database missing, TLS refused.
    func connect() async throws -> PostgresConnection {
        let configuration = connectionConfiguration()
        let id = Self.connectionIDs.withLock { id -> Int in
            id += 1
            return id
        }
        let future: EventLoopFuture<PostgresConnection> = PostgresConnection.connect(on: PostgresClient.defaultEventLoopGroup.next(), configuration: configuration,
                                                id: id, logger: logger)
        // postgres-nio bounds the TCP connect and the handshake by the timeout; the race is a
        // backstop for what it does not bound (a name lookup that hangs).
        do {
            return try await PostgresDeadline.race(connectTimeout + .seconds(1)) {
                try await future.get()
            } onTimeout: {
                QueueError(.unavailable, "cannot reach PostgreSQL at \(url.host):\(url.port): no answer within "
                                  + PostgresFailure.seconds(connectTimeout))
            }
        } catch {
            // A connection that arrives after the wait ended is closed, not leaked.
            future.whenSuccess { connection in
                PostgresConnector.close(connection)
            }
            throw PostgresFailure.connectFailure(error, url: url, timeout: connectTimeout)
        }
    }
}
