import ArgumentParser
import Foundation
import TensorEngine

/// `--threads N`: the one thread setting for our parallel loops and OpenBLAS.
struct ThreadOption: ParsableArguments {
    @Option(help: "Threads for compute, 1-\(ThreadSettings.maxThreads) (default: $\(ThreadSettings.environmentKey), else the number of cores; a worker without either takes its share of the cores among the workers on this machine).")
    var threads: Int?

    func validate() throws {
        if let threads, !(1...ThreadSettings.maxThreads).contains(threads) {
            throw CLIError("--threads must be between 1 and \(ThreadSettings.maxThreads), got \(threads)")
        }
    }

    /// True when `--threads` or `$FAE_T2I_THREADS` gives a count.
    var isSet: Bool {
        threads != nil || ProcessInfo.processInfo.environment[ThreadSettings.environmentKey].flatMap { try? ThreadSettings.parse($0) } != nil
    }

    /// Applies the setting to the engine and returns it.
    @discardableResult
    func apply() -> Int {
        Engine.threads = ThreadSettings.resolve(option: threads, environment: ProcessInfo.processInfo.environment)
        return Engine.threads
    }
}
