import Dataset
import Foundation
import Models
import TensorEngine

/// The frozen visual encoder a stage reads features from: loaded strictly from a folder and
/// checked against the stage's image size.
public struct FrozenEncoder {
    public let directory: URL
    public let model: Dinov2Model

    public init(directory: URL) throws {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(ModelLayout.configFile).path) else {
            throw TrainingError(.missingInput, "no encoder in \(directory.path) (run `fae-t2i train encoder` first, or pass --encoder DIR with a DINOv2 checkpoint)")
        }
        do {
            model = try Dinov2Model.load(directory: directory)
        } catch {
            throw TrainingError(.missingInput, "cannot load the encoder \(directory.path): \(error)", cause: error)
        }
        self.directory = directory
        for p in model.parameters { p.frozen = true }
    }

    /// FAE config for this encoder: its width and patch on images of `imageSize`.
    public func faeConfig(imageSize: Int, base: FAEConfig) throws -> FAEConfig {
        var config = base
        config.encoderWidth = model.config.hiddenSize
        config.patchSize = model.config.patchSize.height
        config.imageSize = imageSize
        if let problem = config.problem { throw TrainingError(.invalidArgument, "FAE config: \(problem)") }
        return config
    }

    /// The cached features of `dataset` (built on first use) at `url`.
    public func features(of dataset: ImageDataset, cache url: URL, log: (String) -> Void) throws -> FeatureCache {
        try FeatureCache.loadOrBuild(at: url, encoder: model, encoderDirectory: directory, dataset: dataset, log: log)
    }

    /// Features of the first `limit` images of `dataset` (validation), (n, N, C).
    public func features(ofFirst limit: Int, in dataset: ImageDataset, tokens: Int) throws -> (images: Tensor, features: Tensor) {
        let images = try Self.images(ofFirst: limit, in: dataset)
        return (images, try features(of: images, tokens: tokens))
    }

    /// The first `limit` images of `dataset`, (n, 3, H, W) in [-1, 1].
    public static func images(ofFirst limit: Int, in dataset: ImageDataset) throws -> Tensor {
        let n = min(limit, dataset.count), side = dataset.imageSize
        let images = Tensor(zeros: [n, 3, side, side])
        try dataset.loadImages(indices: Array(0..<n), into: images.buffer, threads: Engine.threads)
        return images
    }

    /// Patch-token features of `images` (n, 3, H, W) -> (n, N, C).
    public func features(of images: Tensor, tokens: Int) throws -> Tensor {
        let features = Tensor(zeros: [images.dim(0), tokens, model.config.hiddenSize])
        let hidden = try model.forward(images)
        FAEAutoencoder.copyPatchTokens(hidden, skip: 1 + model.config.numRegisterTokens, into: features)
        return features
    }
}
