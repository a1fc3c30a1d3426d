import Dataset
import Foundation
import TensorEngine

/// Deterministic training batches: the batch of global step i depends only on (seed, i), so a
/// resumed run sees exactly the batches the uninterrupted run would have seen. Epochs are
/// reshuffled; the last partial batch of an epoch is dropped.
public final class ImageBatchLoader {
    public let dataset: ImageDataset
    public let batchSize: Int
    public let seed: UInt64
    /// The images of the last `load`, (B, 3, S, S) in [-1, 1]; reused every step (empty when the
    /// loader only selects indices).
    public let images: Tensor
    private var epoch = -1
    private var order: [Int] = []
    public private(set) var indices: [Int]

    public init(dataset: ImageDataset, batchSize: Int, seed: UInt64, loadsImages: Bool = true) throws {
        guard dataset.count >= batchSize else {
            throw TrainingError(.invalidData, "the dataset \(dataset.url.path) has \(dataset.count) images, fewer than one batch of \(batchSize)")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.seed = seed
        images = Tensor(zeros: loadsImages ? [batchSize, 3, dataset.imageSize, dataset.imageSize] : [0])
        indices = Array(repeating: 0, count: batchSize)
    }

    public var batchesPerEpoch: Int { dataset.count / batchSize }

    /// Dataset indices of global step `step`'s batch (into `indices`).
    @discardableResult
    public func selectIndices(step: Int) -> [Int] {
        let e = step / batchesPerEpoch, s = step % batchesPerEpoch
        if e != epoch {
            order = ShuffledBatches.permutation(count: dataset.count, seed: seed, epoch: e)
            epoch = e
        }
        for i in 0..<batchSize { indices[i] = order[s * batchSize + i] }
        return indices
    }

    /// Loads global step `step`'s images into `images`.
    @discardableResult
    public func load(step: Int) throws -> Tensor {
        selectIndices(step: step)
        try load(indices: indices, into: images)
        return images
    }

    /// Loads given images into a (n, 3, S, S) tensor.
    public func load(indices: [Int], into tensor: Tensor) throws {
        try dataset.loadImages(indices: indices, into: tensor.buffer, threads: Engine.threads)
    }
}
