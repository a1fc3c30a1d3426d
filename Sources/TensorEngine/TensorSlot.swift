/// A reusable activation/gradient buffer owned by a layer: `tensor(shape)` returns the same storage
/// on every call whose element count fits, so repeated steps at a fixed batch shape allocate nothing.
public final class TensorSlot {
    private var storage: TensorStorage?
    private var cached: Tensor?

    public init() {}

    /// A tensor of `shape`, reusing the slot's storage when it is large enough. Contents are stale
    /// (not zeroed) unless `zeroed` is true.
    public func tensor(_ shape: [Int], zeroed: Bool = false) -> Tensor {
        if let t = cached, t.shape == shape {
            if zeroed { t.zero() }
            return t
        }
        let n = shape.reduce(1, *)
        if storage == nil || storage!.capacity < n { storage = TensorStorage(capacity: n) }
        let t = Tensor(storage: storage!, shape: shape)
        cached = t
        if zeroed { t.zero() }
        return t
    }
}
