/// Why a render stopped early, or what went wrong in the worker.
public enum WorkerError: Error, CustomStringConvertible, Equatable {
    /// The user canceled the job (seen at a heartbeat).
    case canceled
    /// The worker is shutting down and gives the job back.
    case shuttingDown
    case renderFailed(String)

    public var description: String {
        switch self {
        case .canceled: return "job canceled"
        case .shuttingDown: return "worker shutting down"
        case .renderFailed(let message): return "render failed: \(message)"
        }
    }
}
