/// Sampler settings (value data; defaults are the paper's text-to-image ones).
public struct FlowSamplerConfiguration: Codable, Equatable, Sendable {
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// One velocity evaluation per step.
        case euler
        /// Two evaluations per step (trapezoidal correction); the last step, which ends at t = 0,
        /// is an Euler step, as in EDM, so the model is never evaluated at t = 0.
        case heun
    }

    public var steps: Int = 25
    public var method: Method = .euler
    /// The default CFG weight of every entry point (jobs, `render`, the evaluations). On the 10000-step
    /// generator ShapeBench scored 0.344 with 3 and with 4.5 (worse FD) and 0.300 with 6; the first model
    /// 0.152 with 3 against 0.079 with 1.5 (docs/training.md).
    public static let defaultGuidanceScale = 3.0

    /// CFG weight w: v = v_u + w (v_c - v_u); 1 disables guidance (one forward of batch B).
    public var guidanceScale: Double = Self.defaultGuidanceScale
    /// CFG is applied only at times t <= this (the guidance interval [0, t_hi]).
    public var guidanceMaxTime: Double = 0.9
    /// Time shift a of the grid; nil = RAE's rule from the model's tokens and channels (use the
    /// value training used).
    public var shift: Double? = nil

    enum CodingKeys: String, CodingKey {
        case steps, method, shift
        case guidanceScale = "guidance_scale"
        case guidanceMaxTime = "guidance_max_time"
    }

    public init(steps: Int = 25, method: Method = .euler, guidanceScale: Double = Self.defaultGuidanceScale, guidanceMaxTime: Double = 0.9,
                shift: Double? = nil) {
        self.steps = steps; self.method = method; self.guidanceScale = guidanceScale
        self.guidanceMaxTime = guidanceMaxTime; self.shift = shift
    }
}
