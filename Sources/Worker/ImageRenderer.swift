import ImageCodec
import Sampler

/// What a renderer needs to draw a job's images.
public struct RenderRequest: Sendable, Equatable {
    public var prompt: String
    public var negativePrompt: String
    /// One seed per image.
    public var seeds: [Int64]
    public var steps: Int
    public var guidance: Double
    public var sampler: String

    public init(prompt: String, negativePrompt: String = "", seeds: [Int64], steps: Int = 25, guidance: Double = FlowSamplerConfiguration.defaultGuidanceScale,
                sampler: String = "euler") {
        self.prompt = prompt
        self.negativePrompt = negativePrompt
        self.seeds = seeds
        self.steps = steps
        self.guidance = guidance
        self.sampler = sampler
    }
}

/// Anything that turns a prompt into images: the trained model (`ModelImageRenderer`) or the shapes
/// world's reference renderer (`ReferenceImageRenderer`).
///
/// `progress(step, total)` is called as work advances; it throws to stop the render early (the
/// job was canceled or the worker is shutting down), and the renderer must let that error through.
public protocol ImageRenderer: AnyObject {
    /// Recorded with each job it renders ("reference", or a model's id).
    var modelID: String { get }
    /// Hash of the weights used, when there are any.
    var weightsHash: String? { get }
    /// Returns one image per seed, in seed order.
    func render(_ request: RenderRequest, progress: (_ step: Int, _ total: Int) throws -> Void) throws -> [RGBImage]
    /// What the user should know about how `request` renders (e.g. a prompt longer than the model
    /// reads), or nil.
    func warning(for request: RenderRequest) -> String?
}

extension ImageRenderer {
    public func warning(for request: RenderRequest) -> String? { nil }
}
