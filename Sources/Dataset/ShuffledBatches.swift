import ShapesWorld

/// An endless, deterministic stream of batches: every epoch is a fresh permutation of 0..<count drawn
/// from the seed and the epoch number alone (our own Fisher-Yates on SplitMix64, independent of the
/// standard library's shuffle), cut into batches of `batchSize`. Because each epoch's order depends only
/// on (seed, epoch), training resumes exactly by starting at the saved (epoch, step).
///
/// With `dropLast` the last short batch of an epoch is skipped (fixed shapes); otherwise every index
/// appears exactly once per epoch.
public struct ShuffledBatches: IteratorProtocol, Sequence, Sendable {
    public let count: Int
    public let batchSize: Int
    public let seed: UInt64
    public let dropLast: Bool
    public private(set) var epoch: Int
    /// The next batch's position within `epoch`.
    public private(set) var step: Int
    private var order: [Int]

    public init(count: Int, batchSize: Int, seed: UInt64, dropLast: Bool = false, epoch: Int = 0, step: Int = 0) throws {
        guard count > 0, batchSize > 0 else {
            throw DatasetError(.invalidArgument, "batches need a non-empty dataset and a positive batch size (got \(count) images, batch size \(batchSize))")
        }
        guard !dropLast || batchSize <= count else {
            throw DatasetError(.invalidArgument, "batch size \(batchSize) is larger than the dataset (\(count) images) and short batches are dropped")
        }
        guard epoch >= 0, step >= 0 else { throw DatasetError(.invalidArgument, "epoch and step must not be negative") }
        self.count = count
        self.batchSize = batchSize
        self.seed = seed
        self.dropLast = dropLast
        self.epoch = epoch
        self.step = step
        self.order = Self.permutation(count: count, seed: seed, epoch: epoch)
        if step >= batchesPerEpoch { advanceEpoch() }
    }

    public var batchesPerEpoch: Int { dropLast ? count / batchSize : (count + batchSize - 1) / batchSize }

    public mutating func next() -> DatasetBatch? {
        let begin = step * batchSize, end = Swift.min(begin + batchSize, count)
        let batch = DatasetBatch(epoch: epoch, step: step, indices: Array(order[begin..<end]))
        step += 1
        if step >= batchesPerEpoch { advanceEpoch() }
        return batch
    }

    private mutating func advanceEpoch() {
        epoch += 1
        step = 0
        order = Self.permutation(count: count, seed: seed, epoch: epoch)
    }

    /// The order of epoch `epoch`.
    public static func permutation(count: Int, seed: UInt64, epoch: Int) -> [Int] {
        // The epoch's generator is seeded with output `epoch` of the seed's SplitMix64 stream.
        var stream = SeededGenerator(seed: seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var generator = SeededGenerator(seed: stream.next())
        var order = Array(0..<count)
        order.withUnsafeMutableBufferPointer { order in
            var position = order.count - 1
            while position > 0 {
                let other = uniform(below: position + 1, using: &generator)
                order.swapAt(position, other)
                position -= 1
            }
        }
        return order
    }

    /// Lemire's unbiased multiply-shift (ShapesWorld's helper is internal to it).
    private static func uniform(below bound: Int, using generator: inout SeededGenerator) -> Int {
        let range = UInt64(bound)
        var product = generator.next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = generator.next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }
}
