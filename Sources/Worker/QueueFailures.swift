import Foundation
import JobQueue

/// Consecutive failures of the queue, the delay before the next try, and when to give up.
struct QueueFailures {
    let limit: Int
    private(set) var count = 0

    init(limit: Int) {
        precondition(limit >= 1, "the failure limit must be positive")
        self.limit = limit
    }

    mutating func reset() { count = 0 }

    /// Counts `error` and returns the seconds to wait before trying again, or throws
    /// `queueUnavailable` once `limit` failures came in a row.
    mutating func record(_ error: Error) throws -> Double {
        count += 1
        guard count < limit else {
            throw WorkerError.queueUnavailable("\(count) queue operations failed in a row; the last: \(error)")
        }
        return min(0.5 * pow(2, Double(count - 1)), 8)
    }
}
