/// Why a render stopped early, or what went wrong in the worker.
public enum WorkerError: Error, CustomStringConvertible, Equatable {
    /// The user canceled the job (seen at a heartbeat).
    case canceled
    /// The worker is shutting down and gives the job back.
    case shuttingDown
    case renderFailed(String)
    /// The prompt can never be rendered (e.g. outside the shapes world's grammar): retrying is pointless.
    case invalidPrompt(String)
    /// A request the model cannot take (its texts or seeds do not fit the model): retrying is pointless.
    case invalidRequest(String)
    /// The model computes garbage (non-finite values) for this request: retrying is pointless.
    case invalidModel(String)
    /// The queue kept failing (a corrupt file, a full disk): the worker gives up and exits non-zero.
    case queueUnavailable(String)
    /// The folder where this host's workers announce themselves cannot be used.
    case hostSlots(String)

    public var description: String {
        switch self {
        case .canceled: return "job canceled"
        case .shuttingDown: return "worker shutting down"
        case .renderFailed(let message): return "render failed: \(message)"
        case .invalidPrompt(let message): return "invalid prompt: \(message)"
        case .invalidRequest(let message): return "invalid request: \(message)"
        case .invalidModel(let message): return "model failed: \(message)"
        case .queueUnavailable(let message): return "queue unavailable: \(message)"
        case .hostSlots(let message): return message
        }
    }
}
