import Foundation
import Synchronization

/// Persistent worker threads for `Parallel`: workers spin briefly waiting for the next job before
/// falling back to a semaphore, so the millisecond-long ops of batch-1 inference do not pay a
/// thread wake-up each (Dispatch's `concurrentPerform` often finished them on the caller alone).
/// Jobs never nest and come from one caller thread at a time (the engine runs one step at a time).
///
/// Spinning only pays while every thread has a core of its own. With more threads than cores (a
/// large `--threads`, or other processes computing beside us) a spinning thread steals the time
/// slice of the thread it waits for, so then both the workers and the caller block at once.
final class WorkerPool: @unchecked Sendable {
    let workers: Int
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let callerSleeping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let slots: [Slot]
    private let spinLimit: Int
    private var job: ((Int) -> Void)?

    /// One worker's wake-up: its semaphore, and whether it is (about to be) blocked on it.
    private final class Slot: Sendable {
        let sleeping = Atomic<Bool>(false)
        let wakeup = DispatchSemaphore(value: 0)
    }

    /// Spin iterations before a thread blocks (~tens of microseconds) when it has a core of its own.
    private static let spinIterations = 20_000

    init(workers: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) {
        precondition(workers > 0, "a pool needs at least one worker")
        self.workers = workers
        spinLimit = workers + 1 <= cores ? Self.spinIterations : 0
        slots = (0..<workers).map { _ in Slot() }
        for w in 0..<workers {
            let t = Thread { [unowned self] in self.workerLoop(w) }
            t.stackSize = 1 << 20
            t.start()
        }
    }

    /// Runs body(0) on the caller and body(1...workers) on the workers, returning when all finish.
    func run(_ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { escapable in
            job = escapable
            pending.store(workers, ordering: .sequentiallyConsistent)
            generation.add(1, ordering: .sequentiallyConsistent)
            for slot in slots where slot.sleeping.load(ordering: .sequentiallyConsistent) { slot.wakeup.signal() }
            escapable(0)
            waitForWorkers()
            job = nil
        }
    }

    /// Spins for a while, then blocks until the last worker signals. A signal left over from an
    /// earlier round only ends one wait early: the loop checks `pending` again.
    private func waitForWorkers() {
        var spins = 0
        while pending.load(ordering: .sequentiallyConsistent) > 0 {
            spins += 1
            if spins < spinLimit {
                if spins & 255 == 0 { sched_yield() }
                continue
            }
            callerSleeping.store(true, ordering: .sequentiallyConsistent)
            if pending.load(ordering: .sequentiallyConsistent) > 0 { finished.wait() }
            callerSleeping.store(false, ordering: .sequentiallyConsistent)
        }
    }

    private func workerLoop(_ w: Int) {
        Engine.flushDenormalsOnThisThread()
        let slot = slots[w]
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .sequentiallyConsistent) == seen {
                spins += 1
                if spins < spinLimit {
                    if spins & 255 == 0 { sched_yield() }   // stay polite to other runnable threads
                    continue
                }
                // Block; re-check after announcing so a job published meanwhile is not missed.
                slot.sleeping.store(true, ordering: .sequentiallyConsistent)
                if generation.load(ordering: .sequentiallyConsistent) == seen { slot.wakeup.wait() }
                slot.sleeping.store(false, ordering: .sequentiallyConsistent)
                spins = 0
            }
            seen = generation.load(ordering: .sequentiallyConsistent)
            job?(w + 1)
            // The last worker to finish wakes a caller that gave up spinning.
            if pending.subtract(1, ordering: .sequentiallyConsistent).newValue == 0,
               callerSleeping.load(ordering: .sequentiallyConsistent) {
                finished.signal()
            }
        }
    }
}
