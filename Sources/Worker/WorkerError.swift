/// Why a render stopped early, or what went wrong in the worker.
public enum WorkerError: Error, CustomStringConvertible, Equatable {
    /// The user canceled the job (seen at a heartbeat).
    case canceled
    /// The worker is shutting down and gives the job back.
    case shuttingDown
    case renderFailed(String)
    /// The prompt can never be rendered (e.g. outside the shapes world's grammar): retrying is pointless.
    case invalidPrompt(String)
    /// Request settings the renderer does not support (e.g. an unknown sampler): retrying is pointless.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .canceled: return "job canceled"
        case .shuttingDown: return "worker shutting down"
        case .renderFailed(let message): return "render failed: \(message)"
        case .invalidPrompt(let message): return "invalid prompt: \(message)"
        case .invalidRequest(let message): return "invalid request: \(message)"
        }
    }
}
