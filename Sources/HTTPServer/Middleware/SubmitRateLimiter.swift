import Foundation

/// A token bucket per client address: `burst` submits at once, refilled at `perSecond`.
final class SubmitRateLimiter: @unchecked Sendable {
    private struct Bucket { var tokens: Double; var updated: Double }
    private let perSecond: Double
    private let burst: Double
    private let lock = NSLock()
    private var buckets: [String: Bucket] = [:]
    private let clock: @Sendable () -> Double

    init(perSecond: Double, burst: Double, clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.perSecond = perSecond
        self.burst = burst
        self.clock = clock
    }

    /// nil when the client may submit now (a token is taken); else the seconds until it may.
    func admit(_ client: String) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        let now = clock()
        var bucket = buckets[client] ?? Bucket(tokens: burst, updated: now)
        bucket.tokens = min(burst, bucket.tokens + (now - bucket.updated) * perSecond)
        bucket.updated = now
        defer { buckets[client] = bucket }
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            if buckets.count > 10_000 { forgetFullBuckets(now: now) }
            return nil
        }
        return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
    }

    /// Buckets refilled to the brim hold nothing worth keeping.
    private func forgetFullBuckets(now: Double) {
        buckets = buckets.filter { $0.value.tokens + (now - $0.value.updated) * perSecond < burst }
    }
}
