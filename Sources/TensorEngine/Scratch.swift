/// Engine-wide scratch memory for ops that need temporary space (per-thread partial sums of
/// parameter gradients, attention tiles). Each purpose has its own slot that only grows, so after
/// the first step no op allocates. Slots are requested on the calling thread before a parallel
/// region and partitioned by worker index inside it; ops never nest, so one slot per purpose suffices.
public enum Scratch {
    public enum Slot: Int, CaseIterable {
        case reduction = 0, attention, attentionGrad, temporary
    }

    nonisolated(unsafe) private static var storages = [TensorStorage?](repeating: nil, count: Slot.allCases.count)

    /// A pointer to at least `count` floats for `slot` (contents undefined).
    public static func floats(_ count: Int, slot: Slot) -> UnsafeMutablePointer<Float> {
        if let s = storages[slot.rawValue], s.capacity >= count { return s.base }
        let s = TensorStorage(capacity: max(count, 1024))
        storages[slot.rawValue] = s
        return s.base
    }
}
