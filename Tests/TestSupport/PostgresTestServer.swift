import Foundation

/// A throwaway PostgreSQL server for the tests, in a fresh temporary folder. scripts/postgres-server.sh
/// does the work (initdb, a free 127.0.0.1 port, the non-root server user, the watchdog), so the
/// tests, the benchmarks and a developer start servers the same way.
///
/// `shared` is one server for the whole test process, started on first use; a test that restarts
/// or crashes a server starts its own with `start()`. A watchdog the script leaves behind stops
/// each server and deletes its folder once this process has ended, however it ended: a crashed or
/// SIGKILLed test run leaves no server behind.
///
/// Any failure throws a `Failure` naming what failed (with the server log's tail when a start
/// failed), so a test without its server fails instead of being skipped.
public final class PostgresTestServer: Sendable {
    /// What the server trades for speed.
    public enum Tuning: Sendable {
        /// fsync and full-page writes off. Commits still hand the WAL to the kernel
        /// (synchronous_commit stays on), so `kill9()` loses nothing committed; only a crash of
        /// the machine could damage the cluster.
        case fast
        /// PostgreSQL's defaults, for measurements that must include the disk.
        case durable
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let host: String
    public let port: Int
    public let user: String
    public let password: String
    /// The server's folder: the cluster (data/), its socket, log (server.log) and password.
    public let folder: URL
    public let tuning: Tuning
    /// The process whose end stops the server: this one, unless a test of the watchdog said otherwise.
    public let watchedProcess: pid_t
    /// The certificate the server offers TLS with; nil: no TLS.
    public let tls: TestCertificates?

    /// A static `let` is initialised once, under a lock: concurrent first callers share one start,
    /// and its error, if it fails.
    private static let sharedStart = Task { try await start() }

    /// The test process's server, started by the first caller.
    public static var shared: PostgresTestServer {
        get async throws { try await sharedStart.value }
    }

    /// Starts a server of the caller's own, in a new folder; with `tls`, it offers TLS with its
    /// server certificate.
    public static func start(tuning: Tuning = .fast, tls: TestCertificates? = nil,
                             watching watchedProcess: pid_t = getpid()) async throws -> PostgresTestServer {
        try await offload {
            let folder = try TestPaths.temporaryDirectory("postgres")
            let url = try script(["start"] + startOptions(tuning: tuning, tls: tls, watching: watchedProcess) + [folder.path])
            return try PostgresTestServer(url: url, folder: folder, tuning: tuning, tls: tls, watchedProcess: watchedProcess)
        }
    }

    private init(url: String, folder: URL, tuning: Tuning, tls: TestCertificates?, watchedProcess: pid_t) throws {
        let trimmed = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: trimmed), let host = components.host, let port = components.port,
              let user = components.user, let password = components.password else {
            throw Failure(description: "PostgreSQL test server: postgres-server.sh printed no URL but \"\(trimmed)\"")
        }
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.folder = folder
        self.tuning = tuning
        self.tls = tls
        self.watchedProcess = watchedProcess
    }

    public func url(database: String) -> String {
        "postgres://\(user):\(password)@\(host):\(port)/\(database)"
    }

    /// For messages and logs, and for checking that a connection without the password is refused.
    public func urlWithoutPassword(database: String) -> String {
        "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// A new empty database of its own for the caller, so tests sharing the server never see each
    /// other's tables; returns its URL.
    public func makeDatabase() async throws -> String {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await Self.offload { [self] in try runSQL("CREATE DATABASE \(name)") }
        return url(database: name)
    }

    /// Runs `sql` with psql as the superuser (several statements run in one transaction) and
    /// returns the last statement's rows unaligned, without headers: `SELECT 1` gives "1".
    @discardableResult
    public func runSQL(_ sql: String, database: String = "postgres") throws -> String {
        let output = try Self.script(["psql", folder.path, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql])
        return output.trimmingCharacters(in: .newlines)
    }

    /// A fast shutdown (connections are ended, nothing is lost), then a start on the same port and
    /// folder. Also brings the server back after `kill9(restarting: false)`.
    public func restart() async throws {
        try await Self.offload { [self] in
            try Self.script(["stop", folder.path])
            try startAgain()
        }
    }

    /// SIGKILLs the postmaster, as a crash would, then (unless told not to) starts the server
    /// again on the same port: it recovers from its WAL.
    public func kill9(restarting: Bool = true) async throws {
        try await Self.offload { [self] in
            try Self.script(["crash", folder.path])
            if restarting { try startAgain() }
        }
    }

    /// Stops the server and deletes its folder; stopping a stopped server does nothing.
    public func stop() async throws {
        try await Self.offload { [self] in try Self.script(["stop", "--remove", folder.path]) }
    }

    private func startAgain() throws {
        try Self.script(["start", "--port", String(port)] + Self.startOptions(tuning: tuning, tls: tls, watching: watchedProcess)
                        + [folder.path])
    }

    private static func startOptions(tuning: Tuning, tls: TestCertificates?, watching watchedProcess: pid_t) -> [String] {
        (tuning == .durable ? ["--durable"] : []) + (tls.map { ["--tls", $0.serverCertificate.path, $0.serverKey.path] } ?? [])
            + ["--watch", String(watchedProcess)]
    }

    /// Runs scripts/postgres-server.sh and returns its standard output.
    @discardableResult
    private static func script(_ arguments: [String]) throws -> String {
        let path = TestPaths.repositoryRoot.appendingPathComponent("scripts/postgres-server.sh").path
        let runner = CommandRunner(executable: URL(fileURLWithPath: "/bin/bash"), environment: ProcessInfo.processInfo.environment)
        let output: CommandRunner.Output
        do {
            output = try runner.run([path] + arguments)
        } catch {
            throw Failure(description: "PostgreSQL test server: cannot run \(path): \(error)")
        }
        guard output.status == 0 else {
            throw Failure(description: "PostgreSQL test server: `postgres-server.sh \(arguments.joined(separator: " "))` "
                + "exited with status \(output.status):\n\(output.stderr)")
        }
        return output.stdout
    }

    /// Runs `body`, which waits for child processes for up to seconds, on a dispatch thread: blocking
    /// one of the few threads of Swift's concurrency pool would stall the tests running beside it.
    @discardableResult
    private static func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
