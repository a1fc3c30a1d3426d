import Generation
import ImageCodec

/// Anything that turns a request into images: the trained model (`ModelImageRenderer`) or the shapes
/// world's reference renderer (`ReferenceImageRenderer`).
///
/// `progress(step, total)` is called as work advances; it throws to stop the render early (the
/// job was canceled or the worker is shutting down), and the renderer must let that error through.
public protocol ImageRenderer: AnyObject {
    /// Recorded with each job it renders ("reference", or a model's id).
    var modelID: String { get }
    /// Hash of the weights used, when there are any.
    var weightsHash: String? { get }
    /// One image per seed, in seed order, and what the user should know about how they rendered.
    /// `parameters` must have passed `GenerationParameters.validate()` where the request entered
    /// (the queue's rows are checked as they are read); a renderer does not check them again.
    func render(_ parameters: GenerationParameters, progress: (_ step: Int, _ total: Int) throws -> Void) throws -> RenderedImages
}
