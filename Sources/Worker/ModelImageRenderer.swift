import Foundation
import ImageCodec
import Sampler
import TextToImage

/// Renders jobs with a trained text-to-image model folder: all of a job's seeds in one batch, the
/// sampler's steps reported as progress (so the worker heartbeats and can cancel between steps).
public final class ModelImageRenderer: ImageRenderer {
    /// "fae-t2i:<model folder name>".
    public let modelID: String
    /// The first 16 hex digits of the SHA-256 of the generator's and the text encoder's weights.
    public let weightsHash: String?
    public let pipeline: TextToImagePipeline

    public init(pipeline: TextToImagePipeline, modelID: String, weightsHash: String?) {
        self.pipeline = pipeline
        self.modelID = modelID
        self.weightsHash = weightsHash
    }

    /// Loads the model folder (see `TextToImagePipeline(directory:)`) and hashes its weights.
    public convenience init(directory: URL) throws {
        let pipeline = try TextToImagePipeline(directory: directory)
        try self.init(pipeline: pipeline, modelID: Self.modelID(directory: directory),
                      weightsHash: Self.weightsHash(directory: directory))
    }

    public static func modelID(directory: URL) -> String {
        "fae-t2i:\(directory.standardizedFileURL.lastPathComponent)"
    }

    /// SHA-256 over `generator/model.safetensors` then `text_encoder/model.safetensors` (first 16 hex digits).
    public static func weightsHash(directory: URL) throws -> String {
        let files = [ModelFolder.generatorFolder, ModelFolder.textEncoderFolder].map {
            directory.appendingPathComponent($0).appendingPathComponent("model.safetensors")
        }
        do {
            return String(try WeightsDigest.sha256Hex(of: files).prefix(16))
        } catch let error as TextToImageError {
            throw WorkerError.renderFailed(error.message)
        }
    }

    /// Prompts longer than the model's text length are cut; say how much is lost.
    public func warning(for request: RenderRequest) -> String? {
        pipeline.truncationWarning(prompt: request.prompt, negativePrompt: request.negativePrompt)
    }

    public func render(_ request: RenderRequest, progress: (Int, Int) throws -> Void) throws -> [RGBImage] {
        guard let method = FlowSamplerConfiguration.Method(rawValue: request.sampler) else {
            let known = FlowSamplerConfiguration.Method.allCases.map(\.rawValue).joined(separator: ", ")
            throw WorkerError.invalidRequest("unknown sampler '\(request.sampler)' (the model knows \(known))")
        }
        guard request.steps >= 1 else { throw WorkerError.invalidRequest("steps must be at least 1, got \(request.steps)") }
        guard request.guidance.isFinite else { throw WorkerError.invalidRequest("guidance must be finite, got \(request.guidance)") }
        let configuration = FlowSamplerConfiguration(steps: request.steps, method: method, guidanceScale: request.guidance)
        do {
            return try pipeline.generate(prompts: [request.prompt], negativePrompts: [request.negativePrompt],
                                         seeds: request.seeds.map { UInt64(bitPattern: $0) },
                                         configuration: configuration, progress: progress)
        } catch let error as TextToImageError where error.code == .invalidInput {
            throw WorkerError.invalidRequest(error.message)
        } catch let error as TextToImageError where error.code == .nonFiniteOutput {
            // The same weights, prompt and seeds give the same NaNs: retrying cannot help.
            throw WorkerError.invalidModel(error.message)
        }
    }
}
