import Dispatch
import Foundation

/// Data-parallel loops over `Engine.threads` workers (the caller plus a persistent `WorkerPool`).
/// Work is split into one contiguous chunk per thread (static scheduling: our loops are uniform,
/// and fewer, larger chunks keep dispatch overhead to a few microseconds per op).
public enum Parallel {
    /// Held while a pool job runs. Whoever cannot take it (a loop nested inside a pool job, or a
    /// second thread running another model at the same time, as concurrent tests do) runs its loop
    /// serially instead of corrupting the pool's single job slot.
    static let poolLock = NSLock()

    /// Calls `body(range)` on disjoint chunks covering 0..<count, in parallel when worthwhile.
    /// `minChunk` is the smallest range worth a thread (cheap element-wise work wants thousands).
    @inline(__always)
    public static func chunks(_ count: Int, minChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        let threads = min(Engine.threads, max(1, count / max(minChunk, 1)))
        if threads <= 1 || count <= 1 {
            Engine.flushDenormalsOnThisThread()
            if count > 0 { body(0..<count) }
            return
        }
        dispatch(threads) { t in
            let lo = count * t / threads, hi = count * (t + 1) / threads
            if lo < hi { body(lo..<hi) }
        }
    }

    /// Like `chunks`, also passing the worker index (0..<threads) so callers can use per-thread scratch.
    @inline(__always)
    public static func chunksIndexed(_ count: Int, minChunk: Int = 1, _ body: (Int, Range<Int>) -> Void) {
        let threads = min(Engine.threads, max(1, count / max(minChunk, 1)))
        if threads <= 1 || count <= 1 {
            Engine.flushDenormalsOnThisThread()
            if count > 0 { body(0, 0..<count) }
            return
        }
        dispatch(threads) { t in
            let lo = count * t / threads, hi = count * (t + 1) / threads
            if lo < hi { body(t, lo..<hi) }
        }
    }

    /// Runs body(0..<n) at the same time, one job per thread, for work the caller has split into
    /// independent jobs (one model copy per thread in data-parallel training). The loops inside a
    /// job run serially on its thread, so `n` should not exceed `Engine.threads`; BLAS is kept at
    /// one thread for the whole region, so every GEMM in a job takes the same single-call path
    /// whatever the other jobs are doing.
    public static func concurrently(_ n: Int, _ body: (Int) -> Void) {
        if n <= 1 {
            Engine.flushDenormalsOnThisThread()
            if n == 1 { body(0) }
            return
        }
        Engine.withSerialBLAS { dispatch(n, body) }
    }

    /// Runs body(0..<n) concurrently: on the engine's worker pool when it has exactly n - 1 workers,
    /// else through Dispatch.
    @inline(__always)
    static func dispatch(_ n: Int, _ body: (Int) -> Void) {
        Engine.flushDenormalsOnThisThread()
        guard Engine.useWorkerPool else {
            DispatchQueue.concurrentPerform(iterations: n) { t in
                Engine.flushDenormalsOnThisThread()
                body(t)
            }
            return
        }
        guard poolLock.try() else {
            for t in 0..<n { body(t) }
            return
        }
        defer { poolLock.unlock() }
        guard let pool = Engine.pool(workers: n - 1) else {
            for t in 0..<n { body(t) }
            return
        }
        pool.run(body)
    }
}
