import Foundation

/// A flag set once from another thread (the shutdown handler), with a sleep that ends early when
/// the flag is set or when `wake()` says there may be work.
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false
    private var wakeups = 0

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Ends a sleep in progress (or the next one) without stopping.
    func wake() {
        condition.lock()
        wakeups += 1
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps up to `seconds`; returns early when stopped or woken. A wake that came while
    /// awake ends the next sleep at once, so a submit between two claims is never slept through.
    func sleep(_ seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !stopped && wakeups == 0 && condition.wait(until: deadline) {}
        wakeups = 0
        condition.unlock()
    }
}
