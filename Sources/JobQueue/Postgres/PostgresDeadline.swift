/// Bounds how long anything waits for the server: a statement on a link that went silent (a
/// server gone without closing its sockets, a cable pulled) would otherwise wait for TCP to give
/// up, many minutes later.
enum PostgresDeadline {
    private struct Race<T> {
        var waiter: CheckedContinuation<T, Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var workDone = false
        var canceled = false
    }

    /// `body`'s result, or `onTimeout()`'s error once `timeout` has passed. The caller does not
    /// wait for a `body` that overran: it is canceled, and `onTimeout` must make it end soon
    /// (by closing its connection), since cancellation alone does not stop a statement in flight.
    static func race<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T,
                                  onTimeout: @escaping @Sendable () -> Error) async throws -> T {
        let race = Locked(Race<T>())
        @Sendable func finish(_ result: Result<T, Error>) -> Bool {
            guard let waiter = race.withLock({ state -> CheckedContinuation<T, Error>? in
                defer { state.waiter = nil }
                return state.waiter
            }) else { return false }
            waiter.resume(with: result)
            return true
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.withLock { $0.waiter = continuation }
                let work = Task {
                    let result: Result<T, Error>
                    do { result = .success(try await body()) } catch { result = .failure(error) }
                    _ = finish(result)
                    // The timer has nothing left to guard: it stops now instead of sleeping on.
                    race.withLock { state -> Task<Void, Never>? in
                        state.workDone = true
                        return state.timer
                    }?.cancel()
                }
                let timer = Task {
                    do { try await Task.sleep(for: timeout) } catch { return }
                    if finish(.failure(onTimeout())) { work.cancel() }
                }
                let (workDone, canceled) = race.withLock { state in
                    state.work = work
                    state.timer = timer
                    return (state.workDone, state.canceled)
                }
                if workDone { timer.cancel() }
                if canceled { work.cancel() }
            }
        } onCancel: {
            race.withLock { state -> Task<Void, Never>? in
                state.canceled = true
                return state.work
            }?.cancel()
        }
    }
}
