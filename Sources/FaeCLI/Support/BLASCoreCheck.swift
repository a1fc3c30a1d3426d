import Foundation
import TensorEngine

/// Makes sure OpenBLAS runs the kernels this CPU can: on a CPU it does not know it falls back to
/// generic SSE3 kernels, 5.5 times slower on this machine's sgemm than the AVX-512 ones. OpenBLAS
/// picks its kernels when it loads, so the fix is to start the process again with
/// `OPENBLAS_CORETYPE` set. A variable the user set is left alone.
enum BLASCoreCheck {
    static func restartWithBetterCoreIfNeeded() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let core = Engine.betterBLASCore else { return }
        // Set before the exec, so the new process finds it and does not restart again.
        guard setenv("OPENBLAS_CORETYPE", core, 1) == 0 else { return }
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Only reached when the exec failed: go on with the slow kernels rather than not at all.
        unsetenv("OPENBLAS_CORETYPE")
    }
}
