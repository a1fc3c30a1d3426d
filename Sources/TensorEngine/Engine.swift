import CBLAS
import Dispatch
import Foundation

/// Process-wide engine settings. One thread count drives both our parallel loops (`Parallel`) and
/// OpenBLAS, so the two never oversubscribe the cores: a loop that runs in parallel calls BLAS
/// single-threaded inside (`Engine.withSerialBLAS`), big GEMMs outside such loops use all threads.
public enum Engine {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var _threads: Int = {
        let n = ThreadSettings.resolve(option: nil, environment: ProcessInfo.processInfo.environment)
        openblas_set_num_threads(Int32(n))
        return n
    }()

    /// The thread count used by parallel loops and OpenBLAS. Setting it reconfigures OpenBLAS.
    public static var threads: Int {
        get { lock.lock(); defer { lock.unlock() }; return _threads }
        set {
            let n = max(1, newValue)
            lock.lock(); _threads = n; lock.unlock()
            openblas_set_num_threads(Int32(n))
        }
    }

    /// Runs `body` with OpenBLAS limited to one thread (for GEMMs issued from inside our own parallel
    /// loops), restoring the engine thread count afterwards.
    @inline(__always)
    public static func withSerialBLAS<R>(_ body: () throws -> R) rethrows -> R {
        let n = threads
        if n == 1 || serialBLAS { return try body() }
        openblas_set_num_threads(1)
        serialBLAS = true
        defer { serialBLAS = false; openblas_set_num_threads(Int32(n)) }
        return try body()
    }

    /// True inside `withSerialBLAS` (set by the calling thread before its parallel loop starts).
    nonisolated(unsafe) public private(set) static var serialBLAS = false

    /// How a large GEMM uses several threads: `.split` cuts the output into one block per thread
    /// and runs single-threaded sgemm on each from our own workers; `.openBLAS` lets OpenBLAS
    /// thread the call itself. Chosen by measurement (see README).
    public enum GemmThreading: Sendable { case split, openBLAS }
    nonisolated(unsafe) public static var gemmThreading: GemmThreading = .openBLAS
}
