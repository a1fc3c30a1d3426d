/// Which part of the shapes world a generated dataset is. Each split draws its samples from its own
/// SplitMix64 stream: `train` from the stream of `seed`, `eval` from the stream of `seed + 1_000_003`,
/// so the same `--seed` gives disjoint random streams (a train set made with seed S + 1_000_003 would
/// repeat the eval set of seed S; do not do that).
public enum DatasetSplit: String, Codable, CaseIterable, Sendable {
    case train
    case eval

    static let evalOffset: UInt64 = 1_000_003

    public func streamSeed(for seed: UInt64) -> UInt64 {
        switch self {
        case .train: return seed
        case .eval: return seed &+ Self.evalOffset
        }
    }
}
