import CBLAS
import Dispatch
import Foundation

/// Process-wide engine settings. One thread count drives both our parallel loops (`Parallel`, on a
/// persistent `WorkerPool`) and BLAS: by default large GEMMs are split across the same workers with
/// OpenBLAS single-threaded, so no two thread sets ever compete for the cores. With
/// `gemmThreading = .openBLAS`, OpenBLAS threads big GEMMs itself and our loops that call BLAS
/// inside switch it to one thread (`Engine.withSerialBLAS`).
public enum Engine {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var _threads: Int = {
        let n = ThreadSettings.resolve(option: nil, environment: ProcessInfo.processInfo.environment)
        openblas_set_num_threads(Int32(blasThreads(n)))
        return n
    }()

    /// OpenBLAS's own thread count: 1 when our workers split GEMMs (so its threads never compete
    /// with ours), else the engine thread count.
    private static func blasThreads(_ n: Int) -> Int { gemmThreading == .split ? 1 : n }

    /// The thread count used by parallel loops and OpenBLAS. Setting it reconfigures OpenBLAS.
    public static var threads: Int {
        get { lock.lock(); defer { lock.unlock() }; return _threads }
        set {
            lock.lock(); defer { lock.unlock() }
            precondition((1...ThreadSettings.maxThreads).contains(newValue),
                         "thread count \(newValue) outside 1...\(ThreadSettings.maxThreads)")
            _threads = newValue
            applyBLASThreads()
        }
    }

    /// Runs `body` with OpenBLAS limited to one thread (for GEMMs issued from inside our own parallel
    /// loops), restoring the engine thread count afterwards. Nests, and may run on several threads
    /// at once (data-parallel model copies): the first to enter limits BLAS, the last to leave restores it.
    @inline(__always)
    public static func withSerialBLAS<R>(_ body: () throws -> R) rethrows -> R {
        if threads == 1 { return try body() }
        enterSerialBLAS()
        defer { leaveSerialBLAS() }
        return try body()
    }

    /// Flushes denormal floats to zero on the calling thread (see `fae_flush_denormals_on_this_thread`):
    /// a GEMM on denormal inputs, common in a young model's gradients, ran 100 times slower on this
    /// machine's CPU. Cheap enough to call per GEMM and per parallel loop, so every thread that
    /// computes for the engine (callers, pool workers) has it set without tracking threads.
    @inline(__always)
    public static func flushDenormalsOnThisThread() { fae_flush_denormals_on_this_thread() }

    /// The CPU kernels OpenBLAS runs (e.g. "SkylakeX", "Haswell", "Prescott").
    public static var blasCoreName: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// The OpenBLAS core (`OPENBLAS_CORETYPE`) this CPU should use when OpenBLAS fell back to its
    /// generic kernels on a CPU it does not know, else nil. OpenBLAS reads the variable only when it
    /// loads, so the CLI starts itself again with it set (`BLASCoreCheck`).
    public static var betterBLASCore: String? { fae_openblas_better_core().map { String(cString: $0) } }

    /// OpenBLAS's thread count now (1 inside `withSerialBLAS`, and always with `.split`).
    public static var blasThreadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS's thread count for the current settings: 1 while anyone is inside
    /// `withSerialBLAS`, else `blasThreads`. Called under `lock`, so a setting changed by one thread
    /// never undoes another thread's serial region.
    private static func applyBLASThreads() {
        openblas_set_num_threads(Int32(serialBLASDepth > 0 ? 1 : blasThreads(_threads)))
    }

    private static func enterSerialBLAS() {
        lock.lock(); defer { lock.unlock() }
        serialBLASDepth += 1
        if serialBLASDepth == 1, blasThreads(_threads) != 1 { applyBLASThreads() }
    }

    private static func leaveSerialBLAS() {
        lock.lock(); defer { lock.unlock() }
        serialBLASDepth -= 1
        if serialBLASDepth == 0, blasThreads(_threads) != 1 { applyBLASThreads() }
    }

    /// Use the spinning `WorkerPool` for parallel loops (else Dispatch's concurrentPerform).
    nonisolated(unsafe) public static var useWorkerPool = true
    nonisolated(unsafe) private static var pools: [Int: WorkerPool] = [:]

    /// The pool with `workers` threads, created on first use and kept for the process lifetime.
    /// Called only under `Parallel.poolLock`.
    static func pool(workers: Int) -> WorkerPool? {
        guard workers > 0 else { return nil }
        if let p = pools[workers] { return p }
        let p = WorkerPool(workers: workers)
        pools[workers] = p
        return p
    }

    /// True inside `withSerialBLAS` (entered by the calling thread before its parallel loop starts,
    /// so its workers see it too).
    public static var serialBLAS: Bool {
        lock.lock(); defer { lock.unlock() }
        return serialBLASDepth > 0
    }
    nonisolated(unsafe) private static var serialBLASDepth = 0

    /// The serial-BLAS nesting depth, OpenBLAS's thread count and the count the settings ask for
    /// outside serial regions, read together under the lock, so a test can check "BLAS is restored
    /// unless someone is inside" while other threads come and go.
    static var serialBLASState: (depth: Int, blasThreads: Int, settledBLASThreads: Int) {
        lock.lock(); defer { lock.unlock() }
        return (serialBLASDepth, Int(openblas_get_num_threads()), blasThreads(_threads))
    }

    /// How a large GEMM uses several threads: `.split` (default) cuts the output into one block per
    /// worker and runs single-threaded sgemm on each from our own worker pool, so one set of threads
    /// does all the work; `.openBLAS` lets OpenBLAS thread the call with its own threads. Chosen by
    /// measurement (see README): `.split` is 15-25% faster on whole blocks.
    public enum GemmThreading: Sendable { case split, openBLAS }
    nonisolated(unsafe) public static var gemmThreading: GemmThreading = .split {
        didSet { lock.lock(); applyBLASThreads(); lock.unlock() }
    }
}
