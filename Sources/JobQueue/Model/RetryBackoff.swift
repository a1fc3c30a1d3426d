import Foundation

/// How long a failed attempt waits before the job is claimable again: attempt n waits
/// `base * 2^(n-1)` seconds, at most `cap`.
public struct RetryBackoff: Sendable, Equatable {
    public var base: TimeInterval
    public var cap: TimeInterval

    public init(base: TimeInterval = 2, cap: TimeInterval = 300) {
        precondition(base >= 0 && cap >= base, "backoff base \(base) and cap \(cap) out of order")
        self.base = base
        self.cap = cap
    }

    func delay(afterAttempt attempt: Int) -> TimeInterval {
        min(cap, base * pow(2, Double(max(attempt, 1) - 1)))
    }
}
