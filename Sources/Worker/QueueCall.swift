import Foundation

/// Waits on the worker's own thread for an async queue call. The render loop is synchronous
/// (CPU-bound, on a thread of its own), so it blocks while the call runs.
///
/// The call runs on an executor of its own, never the concurrency pool: a caller that is
/// itself on a pool thread (a test driving the loop) would otherwise wait for the pool it blocks,
/// and with one pool thread per core a few such callers stall every task in the process.
enum QueueCall {
    static func wait<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = Outcome<T>()
        Task(executorPreference: executor) {
            do {
                outcome.finish(.success(try await operation()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        return try outcome.wait()
    }

    private static let executor = QueueCallExecutor()

    private final class QueueCallExecutor: TaskExecutor {
        private let queue = DispatchQueue(label: "fae-t2i.worker.queue-calls", attributes: .concurrent)

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            let executor = asUnownedTaskExecutor()
            queue.async { job.runSynchronously(on: executor) }
        }
    }

    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: Result<T, Error>?

        func finish(_ result: Result<T, Error>) {
            condition.lock()
            self.result = result
            condition.signal()
            condition.unlock()
        }

        func wait() throws -> T {
            condition.lock()
            defer { condition.unlock() }
            while result == nil { condition.wait() }
            return try result!.get()
        }
    }
}
