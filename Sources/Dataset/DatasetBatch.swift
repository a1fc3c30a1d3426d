/// One batch of a `ShuffledBatches` stream: where it is in training and which images it holds.
public struct DatasetBatch: Equatable, Sendable {
    public var epoch: Int
    /// The batch's position within its epoch, from 0.
    public var step: Int
    public var indices: [Int]
}
