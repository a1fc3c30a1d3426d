import Foundation
import Logging
import PostgresNIO

/// The job queue on a PostgreSQL server, which workers on many hosts share.
///
/// The same jobs, leases and rules as `SQLiteJobQueue` (the queue test suite runs unchanged on
/// both). Every operation is one statement where it can be (claiming is a server function that
/// reaps and leases in one call, completing one statement that stores the images and the state),
/// run on a pooled connection with its values bound, never spliced into the SQL. Each waits at
/// most `operationTimeout`: an unreachable server is an `unavailable` error, which workers wait
/// out, never a hang.
///
/// Times come from the injected clock, or else from this host's clock corrected by its offset to
/// the server's, measured at open: hosts whose clocks disagree still agree on when a lease ends.
public final class PostgresJobQueue: Sendable {
    public let url: PostgresURL
    let client: PostgresClient
    private let clientTask: Task<Void, Never>
    /// Current time in Unix seconds.
    let clock: @Sendable () -> Double
    let retryBackoff: RetryBackoff
    let logger: Logger
    let operationTimeout: Duration
    let watcher: PostgresWorkWatcher
    private let closed = Locked(false)
    /// The one event loop of the pool's connections, and (where the platform has task executors)
    /// the `PostgresEventLoopExecutor` that runs statements on it.
    let eventLoop: any EventLoop
    private let taskExecutor: (any Sendable)?

    /// The URL without its password.
    public var location: String { url.redacted }

    /// Connections one queue object may hold: a worker or a command runs one statement at a time,
    /// a process sharing the object among tasks a few more.
    static let maximumConnections = 8

    /// Connects, checks the server (one direct connection first, so that an unreachable server, a
    /// refused password, a missing database or refused TLS is a one-line error within
    /// `connectTimeout`), applies pending migrations, and starts the connection pool.
    ///
    /// `readOnly` never migrates, asks the server to refuse writes, and needs exactly the schema
    /// `migrations` describe. Without a `clock`, times are this host's clock plus its offset to
    /// the server's. The password comes from the URL, else `PGPASSWORD`, else the password file.
    public static func open(
        url: PostgresURL, migrations: [Migration], readOnly: Bool = false, retryBackoff: RetryBackoff = RetryBackoff(),
        clock: (@Sendable () -> Double)? = nil, logger: Logger = Logger(label: "fae-t2i.queue"),
        connectTimeout: Duration = .seconds(5), operationTimeout: Duration = .seconds(10)
    ) async throws -> PostgresJobQueue {
        try await open(url: url, migrations: migrations, readOnly: readOnly, retryBackoff: retryBackoff, clock: clock, logger: logger,
                       connectTimeout: connectTimeout, operationTimeout: operationTimeout, createIfMissing: true)
    }

    /// `createIfMissing` false refuses a database without a queue instead of creating one there,
    /// as commands that only look at a queue do (`QueueLocation.open`).
    static func open(
        url: PostgresURL, migrations: [Migration], readOnly: Bool, retryBackoff: RetryBackoff, clock: (@Sendable () -> Double)?,
        logger: Logger, connectTimeout: Duration, operationTimeout: Duration, createIfMissing: Bool
    ) async throws -> PostgresJobQueue {
        let connector = try PostgresConnector(url: url, readOnly: readOnly, connectTimeout: connectTimeout, logger: logger)
        let connection = try await connector.connect()
        let queueClock: @Sendable () -> Double
        do {
            if let clock {
                queueClock = clock
            } else {
                let offset = try await serverClockOffset(connection, url: url, timeout: operationTimeout, logger: logger)
                queueClock = { Date().timeIntervalSince1970 + offset }
            }
            let runner = PostgresMigrationRunner(connection: connection, location: url.redacted, logger: logger,
                                                 timeout: operationTimeout)
            if readOnly {
                try await runner.checkCurrent(migrations)
            } else {
                try await runner.apply(migrations, createIfMissing: createIfMissing, now: queueClock())
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try? await connection.closeGracefully()
        return PostgresJobQueue(url: url, connector: connector, clock: queueClock, retryBackoff: retryBackoff, logger: logger,
                                operationTimeout: operationTimeout)
    }

    private init(url: PostgresURL, connector: PostgresConnector, clock: @escaping @Sendable () -> Double, retryBackoff: RetryBackoff,
                 logger: Logger, operationTimeout: Duration) {
        self.url = url
        self.clock = clock
        self.retryBackoff = retryBackoff
        self.logger = logger
        self.operationTimeout = operationTimeout
        let eventLoop = PostgresClient.defaultEventLoopGroup.next()
        self.eventLoop = eventLoop
        if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *) {
            taskExecutor = PostgresEventLoopExecutor(eventLoop)
        } else {
            taskExecutor = nil
        }
        // postgres-nio's own background messages speak to its developers (and one warns of a
        // race the queue already handles: a statement asked for before the pool's task started);
        // the queue reports what a user acts on itself.
        var poolLogger = logger
        poolLogger.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: connector.clientConfiguration(maximumConnections: Self.maximumConnections),
                                    eventLoopGroup: eventLoop, backgroundLogger: poolLogger)
        self.client = client
        clientTask = Task { await client.run() }
        watcher = PostgresWorkWatcher(connector: connector, logger: logger)
    }

    /// The server's clock minus this host's, from one round trip (its midpoint on this side).
    private static func serverClockOffset(_ connection: PostgresConnection, url: PostgresURL, timeout: Duration,
                                          logger: Logger) async throws -> Double {
        let before = Date().timeIntervalSince1970
        let rows = try await run(on: connection, timeout: timeout, location: url.redacted) {
            try await connection.query("SELECT extract(epoch FROM clock_timestamp())::float8", logger: logger).collect()
        }
        let after = Date().timeIntervalSince1970
        guard let row = rows.first else { throw QueueError(.storage, "database \(url.redacted) did not tell its time") }
        var reader = PostgresRowReader(row)
        return try reader.next(Double.self) - (before + after) / 2
    }

    /// Waits for the pool's background work to end; the pool's connections close with it.
    public func close() async {
        let wasClosed = closed.withLock { closed -> Bool in
            defer { closed = true }
            return closed
        }
        guard !wasClosed else { return }
        await watcher.stop()
        clientTask.cancel()
        await clientTask.value
    }

    /// A queue dropped without `close()` still gives its connections back, if not at once.
    deinit {
        watcher.stopSoon()
        clientTask.cancel()
    }

    // MARK: Running statements

    /// Runs `body` on a pooled connection within `operationTimeout`. Serialization failures and
    /// deadlocks, after which the server has changed nothing, run again a few times; every other
    /// failure becomes a `QueueError`.
    func withConnection<T: Sendable>(timeout: Duration? = nil,
                                     _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        guard !closed.current else { throw QueueError(.storage, "the queue at \(location) is closed") }
        var attempt = 1
        while true {
            do {
                return try await onPooledConnection(timeout: timeout ?? operationTimeout, body)
            } catch where PostgresFailure.isRetryable(error) && attempt < Self.conflictAttempts {
                attempt += 1
                try? await Task.sleep(for: .milliseconds(Int.random(in: 1...(4 * attempt))))
            } catch {
                throw PostgresFailure.operationFailure(error, location: location)
            }
        }
    }

    static let conflictAttempts = 5

    /// For the statements that move many images at once (`queue copy`): a page of them may take
    /// a while over a slow link.
    var bulkTimeout: Duration { max(operationTimeout, .seconds(120)) }

    private func onPooledConnection<T: Sendable>(timeout: Duration,
                                                 _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *), let executor = taskExecutor as? PostgresEventLoopExecutor {
            return try await withTaskExecutorPreference(executor) {
                try await self.raceDeadline(timeout: timeout, start: { Task(executorPreference: executor, operation: $0) }, body)
            }
        }
        return try await raceDeadline(timeout: timeout, start: { Task(operation: $0) }, body)
    }

    /// `body` on a pooled connection, in a task of its own that a timer on the event loop cancels
    /// (while it waits for a connection) or whose connection it closes (while a statement is
    /// stuck): either way the task ends at once, and the caller gets `unavailable`.
    private func raceDeadline<T: Sendable>(
        timeout: Duration, start: (@escaping @Sendable () async throws -> T) -> Task<T, Error>,
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let held = Locked<PostgresConnection?>(nil)
        /// Set when the timer fired: whether a connection was in use then.
        let timedOut = Locked<Bool?>(nil)
        let client = client
        let work = start {
            try await client.withConnection { connection in
                held.withLock { $0 = connection }
                defer { held.withLock { $0 = nil } }
                return try await body(connection)
            }
        }
        let timer = eventLoop.scheduleTask(in: .nanoseconds(Self.nanoseconds(timeout))) {
            let connection = held.withLock { connection -> PostgresConnection? in
                timedOut.withLock { $0 = connection != nil }
                return connection
            }
            // Closing the connection ends the statement stuck on it; the pool makes a new one.
            if let connection { PostgresConnector.close(connection) }
            work.cancel()
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler { try await work.value } onCancel: { work.cancel() }
        } catch {
            guard let hadConnection = timedOut.current else { throw error }
            let waited = PostgresFailure.seconds(timeout)
            throw QueueError(.unavailable, hadConnection
                ? "PostgreSQL at \(location) did not answer within \(waited); try again"
                : "cannot reach PostgreSQL at \(location): no connection within \(waited); try again", cause: error)
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// `body` on a connection of its own (the first one, the listener's) within `timeout`, which
    /// closes the connection when it runs out.
    static func run<T: Sendable>(on connection: PostgresConnection, timeout: Duration, location: String,
                                 _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await PostgresDeadline.race(timeout, body) {
                PostgresConnector.close(connection)
                return QueueError(.unavailable, "PostgreSQL at \(location) did not answer within \(PostgresFailure.seconds(timeout))")
            }
        } catch {
            throw PostgresFailure.operationFailure(error, location: location)
        }
    }

    /// The rows of one statement.
    func rows(_ query: PostgresQuery, timeout: Duration? = nil) async throws -> [PostgresRow] {
        let logger = logger
        return try await withConnection(timeout: timeout) { connection in
            try await connection.query(query, logger: logger).collect()
        }
    }

    /// Runs `body` between BEGIN and COMMIT on `connection`, rolling back if it throws. A
    /// connection that cannot even roll back is closed, so it never returns to the pool inside a
    /// transaction.
    static func transaction<T>(_ connection: PostgresConnection, logger: Logger, _ body: () async throws -> T) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        do {
            let value = try await body()
            try await connection.query("COMMIT", logger: logger)
            return value
        } catch {
            do {
                try await connection.query("ROLLBACK", logger: logger)
            } catch {
                PostgresConnector.close(connection)
            }
            throw error
        }
    }
}
