import Foundation
import JobQueue

/// Failures of the queue close together, the delay before the next try, and when to give up.
/// A failure long after the previous one starts a new count, so an idle worker's rare hiccups
/// never add up to an exit.
struct QueueFailures {
    let limit: Int
    /// Failures further apart than this do not count together.
    let window: TimeInterval
    private(set) var count = 0
    private var last = Date.distantPast

    init(limit: Int, window: TimeInterval = 600) {
        precondition(limit >= 1, "the failure limit must be positive")
        self.limit = limit
        self.window = window
    }

    mutating func reset() { count = 0 }

    /// Counts `error` and returns the seconds to wait before trying again, or throws
    /// `queueUnavailable` once `limit` failures came without a job done or a quiet `window` between.
    mutating func record(_ error: Error, now: Date = Date()) throws -> Double {
        if now.timeIntervalSince(last) > window { count = 0 }
        last = now
        count += 1
        guard count < limit else {
            throw WorkerError.queueUnavailable("\(count) queue operations failed in a row; the last: \(error)")
        }
        return min(0.5 * pow(2, Double(count - 1)), 8)
    }
}
