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
        if n == 1 { return try body() }
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(Int32(n)) }
        return try body()
    }
}
