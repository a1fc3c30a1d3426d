import Generation

/// Sampler settings (value data; defaults are the paper's text-to-image ones, the guidance weight
/// is `GenerationParameters.defaultGuidance`).
public struct FlowSamplerConfiguration: Codable, Equatable, Sendable {
    public var steps: Int = GenerationParameters.defaultSteps
    public var method: SamplerMethod = .euler
    /// CFG weight w: v = v_u + w (v_c - v_u); 1 disables guidance (one forward of batch B).
    public var guidanceScale: Double = GenerationParameters.defaultGuidance
    /// CFG is applied only at times t <= this (the guidance interval [0, t_hi]).
    public var guidanceMaxTime: Double = 0.9
    /// Time shift a of the grid; nil = RAE's rule from the model's tokens and channels (use the
    /// value training used).
    public var shift: Double? = nil
    /// A normalizing flow's noise scale (`GenerationSettings.temperature`); nil = the model's, else 1.
    public var temperature: Double? = nil

    /// The temperatures a flow samples at: a positive scale of N(0, I), at most 2.
    public static let temperatures: ClosedRange<Double> = 0.05...2

    enum CodingKeys: String, CodingKey {
        case steps, method, shift, temperature
        case guidanceScale = "guidance_scale"
        case guidanceMaxTime = "guidance_max_time"
    }

    public init(steps: Int = GenerationParameters.defaultSteps, method: SamplerMethod = .euler,
                guidanceScale: Double = GenerationParameters.defaultGuidance, guidanceMaxTime: Double = 0.9,
                shift: Double? = nil, temperature: Double? = nil) {
        self.steps = steps; self.method = method; self.guidanceScale = guidanceScale
        self.guidanceMaxTime = guidanceMaxTime; self.shift = shift; self.temperature = temperature
    }

    /// The settings of a request: its steps, method and guidance weight.
    public init(_ parameters: GenerationParameters) {
        self.init(steps: parameters.steps, method: parameters.sampler, guidanceScale: parameters.guidance)
    }
}
