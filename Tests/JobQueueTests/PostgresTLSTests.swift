import Foundation
import Testing
import TestSupport
@testable import JobQueue

/// The queue's TLS against a real server that offers it, with every `sslmode`: which modes
/// encrypt, and which certificates the checking modes refuse.
@Suite struct PostgresTLSTests {
    struct Fixture: Sendable {
        let server: PostgresTestServer
        let certificates: TestCertificates
    }

    /// One server with TLS for the suite, started by the first test that needs it.
    private static let sharedStart = Task {
        let certificates = try TestCertificates.make()
        return Fixture(server: try await PostgresTestServer.start(tls: certificates), certificates: certificates)
    }

    /// A new database on the TLS server, as a URL with `query` appended; the host is the server's
    /// address unless `host` names it otherwise.
    static func url(_ query: String, host: String? = nil) async throws -> String {
        let server = try await sharedStart.value.server
        let database = try #require(URL(string: try await server.makeDatabase())?.lastPathComponent)
        return "postgres://\(server.user):\(server.password)@\(host ?? server.host):\(server.port)/\(database)\(query)"
    }

    static func authority(_ keyPath: KeyPath<TestCertificates, URL>) async throws -> String {
        try await sharedStart.value.certificates[keyPath: keyPath].path
    }

    /// Opens the queue at `url`, submits a job, and says whether the server saw the queue's
    /// connections to that database encrypted.
    static func connectionsAreEncrypted(_ url: String) async throws -> Bool {
        let server = try await sharedStart.value.server
        let database = try #require(URL(string: url)?.lastPathComponent)
        let queue = try await PostgresJobQueue.open(url: PostgresURL(parsing: url), migrations: QueueBackend.postgres.migrations)
        let seen: String
        do {
            _ = try await queue.submit(JobRequest(prompt: "a circle over TLS", seed: 1))
            seen = try server.runSQL("""
                SELECT string_agg(DISTINCT s.ssl::text, ',') FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
                WHERE a.application_name = 'fae-t2i' AND a.datname = '\(database)'
                """)
        } catch {
            await queue.close()
            throw error
        }
        await queue.close()
        #expect(seen == "true" || seen == "false", "connections seen: '\(seen)'")
        return seen == "true"
    }

    static func openError(_ url: String) async -> QueueError? {
        do {
            let queue = try await PostgresJobQueue.open(url: PostgresURL(parsing: url), migrations: QueueBackend.postgres.migrations)
            await queue.close()
            Issue.record("expected opening \(url) to fail")
            return nil
        } catch {
            #expect(error is QueueError, "\(error)")
            return error as? QueueError
        }
    }

    @Test func everyModeButDisableEncrypts() async throws {
        let authority = try await Self.authority(\.authority)
        #expect(try await Self.connectionsAreEncrypted(try await Self.url("?sslmode=disable")) == false)
        #expect(try await Self.connectionsAreEncrypted(try await Self.url("")))
        #expect(try await Self.connectionsAreEncrypted(try await Self.url("?sslmode=require")))
        #expect(try await Self.connectionsAreEncrypted(try await Self.url("?sslmode=verify-ca&sslrootcert=\(authority)")))
        #expect(try await Self.connectionsAreEncrypted(try await Self.url("?sslmode=verify-full&sslrootcert=\(authority)", host: "localhost")))
    }

    @Test func aCertificateNoTrustedAuthoritySignedIsRefused() async throws {
        let other = try await Self.authority(\.otherAuthority)
        for mode in ["verify-ca", "verify-full"] {
            let error = await Self.openError(try await Self.url("?sslmode=\(mode)&sslrootcert=\(other)"))
            #expect(error?.code == .invalidLocation, "\(String(describing: error))")
            #expect(error?.message.contains("offered a certificate that sslmode=\(mode) refuses") == true, "\(String(describing: error))")
        }
        // The modes that do not check it still connect.
        #expect(try await Self.connectionsAreEncrypted(try await Self.url("?sslmode=require")))
    }

    /// The certificate names localhost only: by the address 127.0.0.1 the server is the same, but
    /// only verify-ca accepts it.
    @Test func verifyFullRefusesACertificateThatDoesNotNameTheHost() async throws {
        let authority = try await Self.authority(\.authority)
        let error = await Self.openError(try await Self.url("?sslmode=verify-full&sslrootcert=\(authority)", host: "127.0.0.1"))
        #expect(error?.code == .invalidLocation, "\(String(describing: error))")
        #expect(error?.message.contains("name 127.0.0.1") == true, "\(String(describing: error))")
        #expect(try await Self.connectionsAreEncrypted(try await Self.url("?sslmode=verify-ca&sslrootcert=\(authority)", host: "127.0.0.1")))
    }

    @Test func authoritiesThatCannotBeReadAreNamedBeforeConnecting() async throws {
        let missing = await Self.openError(try await Self.url("?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt"))
        #expect(missing?.code == .invalidLocation && missing?.message.contains("/nonexistent/ca.crt") == true,
                "\(String(describing: missing))")
        // Without sslrootcert, libpq's default file under HOME.
        let home = try TestPaths.temporaryDirectory("home")
        defer { try? FileManager.default.removeItem(at: home) }
        #expect {
            _ = try PostgresConnector(url: try PostgresURL(parsing: "postgres://fae@db/queue?sslmode=verify-ca"), readOnly: false,
                                      connectTimeout: .seconds(1), logger: .init(label: "test"), environment: ["HOME": home.path])
        } throws: { error in
            (error as? QueueError)?.message.contains(home.appendingPathComponent(".postgresql/root.crt").path) == true
        }
        // A file that holds no certificate.
        let notPEM = home.appendingPathComponent("ca.crt")
        try Data("not a certificate\n".utf8).write(to: notPEM)
        let garbage = await Self.openError(try await Self.url("?sslmode=verify-ca&sslrootcert=\(notPEM.path)"))
        #expect(garbage?.code == .invalidLocation && garbage?.message.contains("sslrootcert must name a PEM file") == true,
                "\(String(describing: garbage))")
    }

    @Test func requireRefusesAServerWithoutTLS() async throws {
        let plain = try await PostgresTestServer.shared
        let error = await Self.openError(try await plain.makeDatabase() + "?sslmode=require")
        #expect(error?.code == .invalidLocation && error?.message.contains("does not offer TLS") == true, "\(String(describing: error))")
    }
}
