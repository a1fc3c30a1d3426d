import Foundation
import Logging
import PostgresNIO

/// Holds a connection of its own that LISTENs on the channel the queue's trigger notifies when a
/// job becomes queued, and calls the handlers for each notification. A lost connection is logged
/// and made again with a backoff (0.1 s doubling to 5 s). Each time the LISTEN is in place (the
/// first time too) the handlers run once, since jobs may have been queued while no one listened.
/// A connection that goes silent without closing is found by a ping every `pingInterval`.
final class PostgresWorkWatcher: Sendable {
    static let channel = "fae_t2i_jobs"
    static let pingInterval: Duration = .seconds(30)
    static let pingTimeout: Duration = .seconds(10)

    private struct State {
        var handlers: [@Sendable () -> Void] = []
        var task: Task<Void, Never>?
        var connection: PostgresConnection?
        var stopped = false
    }

    private let connector: PostgresConnector
    private let logger: Logger
    private let state = Locked(State())

    init(connector: PostgresConnector, logger: Logger) {
        self.connector = connector
        self.logger = logger
    }

    /// Adds `onWork`; the first call starts listening.
    func watch(_ onWork: @escaping @Sendable () -> Void) {
        state.withLock { state in
            guard !state.stopped else { return }
            state.handlers.append(onWork)
            if state.task == nil { state.task = Task { [self] in await listen() } }
        }
    }

    /// Stops listening and closes the connection; the handlers are not called again.
    func stop() async {
        stopSoon()
        await state.withLock { $0.task }?.value
    }

    /// `stop()` for a caller that cannot wait.
    func stopSoon() {
        let (task, connection) = state.withLock { state in
            state.stopped = true
            state.handlers = []
            return (state.task, state.connection)
        }
        task?.cancel()
        if let connection { PostgresConnector.close(connection) }
    }

    private func notify() {
        for handler in state.withLock({ $0.handlers }) { handler() }
    }

    private func listen() async {
        var delay = 0.1
        while !Task.isCancelled {
            do {
                let connection = try await connector.connect()
                let keep = state.withLock { state -> Bool in
                    guard !state.stopped else { return false }
                    state.connection = connection
                    return true
                }
                guard keep else {
                    try? await connection.close()
                    return
                }
                try await connection.listen(on: Self.channel) { notifications in
                    notify()
                    delay = 0.1
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { [self] in
                            for try await _ in notifications { notify() }
                        }
                        group.addTask { [self] in try await ping(connection) }
                        // Whichever ends first (the connection closed, a ping failed) ends both.
                        try await group.next()
                        group.cancelAll()
                    }
                }
                try? await connection.close()
                state.withLock { $0.connection = nil }
                if Task.isCancelled { return }
                logger.warning("stopped hearing of new jobs on \(connector.url.redacted): the connection closed; listening again in \(delay) s")
            } catch {
                state.withLock { state in
                    if let connection = state.connection { PostgresConnector.close(connection) }
                    state.connection = nil
                }
                if Task.isCancelled { return }
                // A failed connect says why; a connection lost while listening has nothing to add.
                let reason = (error as? QueueError)?.message ?? "the connection was lost"
                logger.warning("stopped hearing of new jobs on \(connector.url.redacted): \(reason); listening again in \(delay) s")
            }
            do { try await Task.sleep(for: .milliseconds(Int(delay * 1_000))) } catch { return }
            delay = min(delay * 2, 5)
        }
    }

    /// Returns (throwing) once the connection fails to answer within `pingTimeout`.
    private func ping(_ connection: PostgresConnection) async throws {
        let logger = logger
        while true {
            try await Task.sleep(for: Self.pingInterval)
            _ = try await PostgresJobQueue.run(on: connection, timeout: Self.pingTimeout, location: connector.url.redacted) {
                try await connection.query("SELECT 1", logger: logger)
            }
        }
    }
}
