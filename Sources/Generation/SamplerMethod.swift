/// The ODE integrators a render can use: the one list, shared by requests, the queue's rows and
/// the sampler. The raw values are what jobs store and the CLI and JPEG metadata show.
public enum SamplerMethod: String, Codable, Sendable, CaseIterable {
    /// One velocity evaluation per step.
    case euler
    /// Two evaluations per step (trapezoidal correction; `FlowSampler` has the details).
    case heun

    /// "euler or heun": the list for help texts and messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: " or ") }

    /// The method called `name`; throws naming the known ones otherwise.
    public init(named name: String) throws {
        guard let method = SamplerMethod(rawValue: name) else {
            let known = Self.allCases.map(\.rawValue).joined(separator: ", ")
            throw GenerationError(.sampler, "sampler must be one of \(known), got '\(name)'")
        }
        self = method
    }
}
