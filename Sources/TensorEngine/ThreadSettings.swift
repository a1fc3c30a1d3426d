import Foundation

/// Resolution of the one thread-count setting: `--threads` wins, then env `FAE_T2I_THREADS`, then the
/// number of active cores.
public enum ThreadSettings {
    public static let environmentKey = "FAE_T2I_THREADS"

    /// The most threads a setting may ask for: far above any core count this engine's loops scale
    /// to, low enough that a typo (`--threads 200000`) is refused instead of starting that many threads.
    public static let maxThreads = 1_024

    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The thread count for a command-line value and an environment; invalid env values fall back to
    /// the default (the CLI validates `--threads` itself and may call `parse`).
    public static func resolve(option: Int?, environment: [String: String]) -> Int {
        if let option, (1...maxThreads).contains(option) { return option }
        if let raw = environment[environmentKey], let n = try? parse(raw) { return n }
        return defaultThreads
    }

    /// Parses a user-supplied thread count.
    public static func parse(_ raw: String) throws -> Int {
        guard let n = Int(raw.trimmingCharacters(in: .whitespaces)), (1...maxThreads).contains(n) else {
            throw TensorEngineError(.invalidArgument, "thread count must be an integer from 1 to \(maxThreads), got '\(raw)'")
        }
        return n
    }
}
