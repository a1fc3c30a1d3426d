import Dataset
import Foundation
import Models
import Sampler
import TensorEngine

extension GeneratorTrainer {
    /// Makes the targets (count, N, C) of a dataset's first images once: from the run's
    /// `LatentCache` when it holds them, else (training images only) from the feature cache, else
    /// by running the frozen FAE over the images; what is computed is saved to the cache.
    struct TargetSource {
        let encoder: GeneratorTargetEncoder
        let configuration: GeneratorConfiguration
        let directory: URL
        let cacheKey: String?
        let featureCache: (() throws -> FeatureCache?)?
        let threads: Int
        let report: (String) -> Void

        func targets(of dataset: ImageDataset, count: Int, validation: Bool) throws -> Tensor {
            let kind = configuration.target.rawValue, split = validation ? "validation" : "training"
            let cache = cacheKey.map {
                LatentCache(directory: directory, target: configuration.target, validation: validation,
                            key: "\($0)|\(dataset.url.path)|\(dataset.count)")
            }
            if let hit = cache?.load(shape: [count, encoder.tokens, encoder.channels]) {
                report("read the \(kind) targets of \(count) \(split) images from \(cache!.url.lastPathComponent)")
                return hit
            }
            if !validation, let loadFeatures = featureCache, let features = try loadFeatures() {
                guard features.count == count else {
                    throw TrainingError(.invalidData, "the feature cache holds \(features.count) images, \(dataset.url.path) \(count)")
                }
                if let targets = try encoder.encodeAll(features: features) {
                    report("made the \(kind) targets of \(count) training images from the feature cache")
                    try cache?.save(targets)
                    return targets
                }
            }
            let batchSize = configuration.encodeBatchSize
            let targets = try encoder.encodeAll(dataset, indices: Array(0 ..< count), batchSize: batchSize, threads: threads) { done, total in
                if done == total || (done / batchSize) % 25 == 0 {
                    report("encoding \(kind) targets: \(done)/\(total) \(split) images")
                }
            }
            try cache?.save(targets)
            return targets
        }

        /// The targets of every training image, standardised in place with the per-channel
        /// statistics they give (the generator learns standardised targets).
        func standardisedTrainingTargets(of train: ImageDataset) throws -> (targets: Tensor, statistics: LatentStatistics) {
            let targets = try self.targets(of: train, count: train.count, validation: false)
            do {
                let statistics = try LatentStatistics.estimate(from: targets)
                try statistics.normalize(targets)
                return (targets, statistics)
            } catch {
                throw TrainingError(.invalidData, "cannot standardise the training targets: \(error)", cause: error)
            }
        }
    }
}
