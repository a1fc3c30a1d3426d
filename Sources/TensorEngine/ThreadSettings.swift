import Foundation

/// Resolution of the one thread-count setting: `--threads` wins, then env `FAE_T2I_THREADS`, then the
/// number of active cores.
public enum ThreadSettings {
    public static let environmentKey = "FAE_T2I_THREADS"

    public static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The thread count for a command-line value and an environment; invalid env values fall back to
    /// the default (the CLI validates `--threads` itself and may call `parse`).
    public static func resolve(option: Int?, environment: [String: String]) -> Int {
        if let option, option > 0 { return option }
        if let raw = environment[environmentKey], let n = try? parse(raw) { return n }
        return defaultThreads
    }

    /// Parses a user-supplied thread count.
    public static func parse(_ raw: String) throws -> Int {
        guard let n = Int(raw.trimmingCharacters(in: .whitespaces)), n > 0 else {
            throw TensorEngineError(.invalidArgument, "thread count must be a positive integer, got '\(raw)'")
        }
        return n
    }
}
