import Foundation

/// A flag set once from another thread (the shutdown handler), with an interruptible sleep.
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

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

    /// Sleeps up to `seconds`; returns early when stopped.
    func sleep(_ seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !stopped && condition.wait(until: deadline) {}
        condition.unlock()
    }
}
