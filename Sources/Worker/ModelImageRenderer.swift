import Digest
import Foundation
import Generation
import ImageCodec
import Models
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
        let files = [ModelLayout.generatorFolder, ModelLayout.textEncoderFolder].map { ModelLayout.weights(of: $0, in: directory) }
        do {
            return String(try SHA256Hex.of(files: files).prefix(16))
        } catch let error as DigestError {
            throw WorkerError.renderFailed(error.message)
        }
    }

    /// Renders all seeds in one batch; prompts longer than the model's text length are cut, and the
    /// warning says how much is lost.
    public func render(_ parameters: GenerationParameters, progress: (Int, Int) throws -> Void) throws -> RenderedImages {
        do {
            let generated = try pipeline.generate(parameters, progress: progress)
            return RenderedImages(images: generated.images, warning: generated.truncationWarning)
        } catch let error as TextToImageError where error.code == .invalidInput {
            throw WorkerError.invalidRequest(error.message)
        } catch let error as TextToImageError where error.code == .nonFiniteOutput {
            // The same weights, prompt and seeds give the same NaNs: retrying cannot help.
            throw WorkerError.invalidModel(error.message)
        }
    }
}
