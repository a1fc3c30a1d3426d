import ArgumentParser
import Foundation
import TensorEngine

/// `--threads N`: the one thread setting for our parallel loops and OpenBLAS.
struct ThreadOption: ParsableArguments {
    @Option(help: "Threads for compute (default: $\(ThreadSettings.environmentKey), else the number of cores).")
    var threads: Int?

    func validate() throws {
        if let threads, threads <= 0 { throw CLIError("--threads must be a positive integer, got \(threads)") }
    }

    /// Applies the setting to the engine and returns it.
    @discardableResult
    func apply() -> Int {
        Engine.threads = ThreadSettings.resolve(option: threads, environment: ProcessInfo.processInfo.environment)
        return Engine.threads
    }
}
