import Foundation
import Synchronization

/// Persistent worker threads for `Parallel`: workers spin briefly waiting for the next job before
/// falling back to a semaphore, so the millisecond-long ops of batch-1 inference do not pay a
/// thread wake-up each (Dispatch's `concurrentPerform` often finished them on the caller alone).
/// Jobs never nest and come from one caller thread at a time (the engine runs one step at a time).
final class WorkerPool: @unchecked Sendable {
    let workers: Int
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let sleepingMask = Atomic<Int>(0)          // bit w set while worker w blocks
    private let wakeups: [DispatchSemaphore]
    private var job: ((Int) -> Void)?
    private var threads: [Thread] = []

    /// Spin iterations before a worker blocks (~tens of microseconds).
    private static let spinLimit = 20_000

    init(workers: Int) {
        self.workers = workers
        precondition(workers < Int.bitWidth, "too many workers")
        wakeups = (0..<workers).map { _ in DispatchSemaphore(value: 0) }
        for w in 0..<workers {
            let t = Thread { [unowned self] in self.workerLoop(w) }
            t.stackSize = 1 << 20
            t.start()
            threads.append(t)
        }
    }

    /// Runs body(0) on the caller and body(1...workers) on the workers, returning when all finish.
    func run(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            pending.store(workers, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            let mask = sleepingMask.load(ordering: .sequentiallyConsistent)
            if mask != 0 { for w in 0..<workers where mask & (1 << w) != 0 { wakeups[w].signal() } }
            escapable(0)
            while pending.load(ordering: .sequentiallyConsistent) > 0 { spinPause() }
            job = nil
        }
    }

    private func workerLoop(_ w: Int) {
        Engine.flushDenormalsOnThisThread()
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .sequentiallyConsistent) == seen {
                spins += 1
                if spins < Self.spinLimit {
                    if spins & 255 == 0 { sched_yield() }   // stay polite to other runnable threads
                    continue
                }
                // Block; re-check after announcing so a job published meanwhile is not missed.
                sleepingMask.bitwiseOr(1 << w, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) == seen { wakeups[w].wait() }
                sleepingMask.bitwiseAnd(~(1 << w), ordering: .sequentiallyConsistent)
                spins = 0
            }
            seen = generation.load(ordering: .sequentiallyConsistent)
            job?(w + 1)
            pending.subtract(1, ordering: .sequentiallyConsistent)
        }
    }

    @inline(__always)
    private func spinPause() {}
}
