import Foundation
import PostgresNIO

/// Turns what postgres-nio throws into `QueueError`s a user can act on, the original kept as the
/// cause. Messages name the server by host and port or by the redacted URL, never the password
/// (the server's own messages never hold it either).
enum PostgresFailure {
    /// The SQLSTATE of an error the server sent, if it is one.
    static func sqlState(_ error: Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func serverMessage(_ error: Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.message]
    }

    /// Serialization failures and deadlocks: the transaction did nothing and may simply run again.
    static func isRetryable(_ error: Error) -> Bool {
        guard let state = sqlState(error) else { return false }
        return state == "40001" || state == "40P01"
    }

    /// Failures of the link to the server rather than of the statement: the server is down,
    /// restarting, or out of reach. Waiting cures them, so they are `unavailable`.
    static func isConnectionLoss(_ error: Error) -> Bool {
        if let error = error as? PSQLError {
            switch error.code {
            case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed,
                 .queryCancelled, .messageDecodingFailure, .unexpectedBackendMessage:
                return true
            case .server:
                guard let state = sqlState(error) else { return false }
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state)
            default:
                return false
            }
        }
        // The pool's own errors (its module is not ours to import): shut down, or no connection made in time.
        return String(reflecting: type(of: error)).hasSuffix("ConnectionPoolError") || error is ChannelError
            || error is IOError || error is NIOConnectionError
    }

    // MARK: Opening

    /// The one-line reason the first connection failed, by kind: the server out of reach, the
    /// user or password refused, the database missing, TLS refused.
    static func connectFailure(_ error: Error, url: PostgresURL, timeout: Duration) -> QueueError {
        let server = "\(url.host):\(url.port)"
        if let error = error as? QueueError { return error }
        guard let psql = error as? PSQLError else {
            return QueueError(.unavailable, "cannot reach PostgreSQL at \(server): \(reason(error, timeout: timeout))", cause: error)
        }
        switch psql.code {
        case .server:
            let message = serverMessage(psql) ?? "refused"
            switch sqlState(psql) ?? "" {
            case let state where state.hasPrefix("28"):
                return QueueError(.authentication,
                    "PostgreSQL at \(server) refused \(url.user)@\(url.host): \(message) (the password comes from the URL, "
                    + "PGPASSWORD or the password file, ~/.pgpass)", cause: psql)
            case "3D000":
                return QueueError(.invalidLocation,
                    "PostgreSQL at \(server) has no database \"\(url.database)\": create it (createdb \(url.database)) or fix the URL",
                    cause: psql)
            case "57P03", "53300":
                return QueueError(.unavailable, "PostgreSQL at \(server) takes no connections now: \(message)", cause: psql)
            case let state:
                return QueueError(.storage, "PostgreSQL at \(server) refused the connection: \(message) (SQLSTATE \(state))", cause: psql)
            }
        case .authMechanismRequiresPassword:
            return QueueError(.authentication,
                "PostgreSQL at \(server) asks for a password for \(url.user)@\(url.host) and none was given "
                + "(put it in the URL, PGPASSWORD or the password file, ~/.pgpass)", cause: psql)
        case .unsupportedAuthMechanism:
            return QueueError(.authentication,
                "PostgreSQL at \(server) asks \(url.user)@\(url.host) for an authentication method fae-t2i does not support; "
                + "use scram-sha-256 or md5", cause: psql)
        case .saslError:
            return QueueError(.authentication, "PostgreSQL at \(server) refused \(url.user)@\(url.host): the password exchange failed",
                              cause: psql)
        case .sslUnsupported:
            return QueueError(.invalidLocation,
                "PostgreSQL at \(server) does not offer TLS, which sslmode=\(url.sslMode.rawValue) demands; enable ssl on the "
                + "server" + (url.sslMode == .require ? " or use sslmode=prefer" : ""), cause: psql)
        case .failedToAddSSLHandler:
            return QueueError(.invalidLocation, "cannot set up TLS for PostgreSQL at \(server)", cause: psql)
        default:
            if let underlying = psql.underlying, isTLSFailure(underlying) {
                if url.sslMode.checksCertificate, isCertificateRefusal(underlying) {
                    let demand = url.sslMode == .verifyFull ? "be signed by a trusted authority and name \(url.host)"
                                                            : "be signed by a trusted authority"
                    let authorities = url.rootCertificatesFile() ?? "the system's"
                    return QueueError(.invalidLocation,
                        "PostgreSQL at \(server) offered a certificate that sslmode=\(url.sslMode.rawValue) refuses: it must \(demand) "
                        + "(trusted: the authorities in \(authorities))", cause: psql)
                }
                return QueueError(.invalidLocation, "TLS with PostgreSQL at \(server) failed: \(underlying)", cause: psql)
            }
            return QueueError(.unavailable, "cannot reach PostgreSQL at \(server): \(reason(psql, timeout: timeout))", cause: psql)
        }
    }

    static func isTLSFailure(_ error: Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    /// The server's certificate failed the check of a `verify-*` mode: no trusted authority
    /// signed it (BoringSSL's verdict in the handshake), or it names another host (NIOSSL's).
    static func isCertificateRefusal(_ error: Error) -> Bool {
        if let error = error as? NIOSSLExtraError { return error == .failedToValidateHostname }
        return "\(error)".contains("CERTIFICATE_VERIFY_FAILED")
    }

    /// What went wrong on the way to the server, in a few words.
    static func reason(_ error: Error, timeout: Duration) -> String {
        switch error {
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve the host name \(error.host)" }
            if let first = error.connectionErrors.first { return reason(first.error, timeout: timeout) }
            return "no address to connect to"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as ChannelError:
            if case .connectTimeout = error { return "no answer within \(seconds(timeout))" }
            return "\(error)"
        case let error as PSQLError:
            if let underlying = error.underlying { return reason(underlying, timeout: timeout) }
            switch error.code {
            case .serverClosedConnection: return "the server closed the connection"
            case .clientClosedConnection: return "the connection was closed"
            case .uncleanShutdown: return "the connection ended mid-message"
            default: return "\(error.code)"
            }
        default:
            return "\(error)"
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }

    // MARK: Operations

    /// Any failure of a statement, for the queue at `location` (the redacted URL).
    static func operationFailure(_ error: Error, location: String) -> Error {
        if error is QueueError { return error }
        if isConnectionLoss(error) {
            return QueueError(.unavailable, "lost the connection to PostgreSQL at \(location); try again", cause: error)
        }
        guard let psql = error as? PSQLError else {
            if error is PostgresDecodingError {
                return QueueError(.corrupt, "database \(location) returned a value of an unexpected type: \(error)", cause: error)
            }
            return QueueError(.storage, "database \(location): \(error)", cause: error)
        }
        let message = serverMessage(psql) ?? "\(psql.code)"
        let state = sqlState(psql) ?? "?"
        switch state {
        case "53100":
            return QueueError(.diskFull,
                "the disk of the PostgreSQL server holding \(location) is full (\(message)); free space on the server and try again",
                cause: psql)
        case "40001", "40P01", "55P03":
            return QueueError(.busy, "database \(location) stayed locked by other transactions; try again (\(message))", cause: psql)
        case "57014":
            return QueueError(.busy, "database \(location) canceled a statement that ran too long (\(message)); try again", cause: psql)
        case "25006":
            return QueueError(.storage, "database \(location) is read-only (\(message))", cause: psql)
        case "3D000":
            return QueueError(.invalidLocation, "database \(location) no longer exists (\(message))", cause: psql)
        case let state where state.hasPrefix("28"):
            return QueueError(.authentication, "PostgreSQL at \(location) refused the user: \(message)", cause: psql)
        default:
            return QueueError(.storage, "database \(location): \(message) (SQLSTATE \(state))", cause: psql)
        }
    }
}
