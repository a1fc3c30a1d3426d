/// The lifecycle of a job: `queued -> running -> succeeded | failed | canceled`.
public enum JobState: String, Codable, CaseIterable, Sendable {
    case queued, running, succeeded, failed, canceled

    /// A finished job never changes again (except by an explicit `retry`).
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .canceled: return true
        case .queued, .running: return false
        }
    }
}
