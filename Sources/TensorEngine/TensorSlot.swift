/// A reusable activation/gradient buffer owned by a layer: `tensor(shape)` returns the same storage
/// on every call whose element count fits, so repeated steps at a fixed batch shape allocate nothing.
public final class TensorSlot {
    private var storage: TensorStorage?
    private var cached: Tensor?

    public init() {}

    // Fixed-arity lookups compare against the cached shape without building an array, so the
    // steady state (same shapes every step) allocates nothing at all.

    public func tensor(_ d0: Int) -> Tensor {
        if let t = cached, t.shape.count == 1, t.shape[0] == d0 { return t }
        return tensor([d0])
    }

    public func tensor(_ d0: Int, _ d1: Int) -> Tensor {
        if let t = cached, t.shape.count == 2, t.shape[0] == d0, t.shape[1] == d1 { return t }
        return tensor([d0, d1])
    }

    public func tensor(_ d0: Int, _ d1: Int, _ d2: Int) -> Tensor {
        if let t = cached, t.shape.count == 3, t.shape[0] == d0, t.shape[1] == d1, t.shape[2] == d2 { return t }
        return tensor([d0, d1, d2])
    }

    public func tensor(_ d0: Int, _ d1: Int, _ d2: Int, _ d3: Int) -> Tensor {
        if let t = cached, t.shape == [d0, d1, d2, d3] { return t }
        return tensor([d0, d1, d2, d3])
    }

    /// A tensor with the shape of `x` but last dimension `lastDim` (default: the same as x).
    public func tensor(like x: Tensor, lastDim: Int? = nil) -> Tensor {
        let last = lastDim ?? (x.shape.last ?? 1)
        if let t = cached, t.shape.count == x.shape.count, t.shape.last == last {
            var same = true
            for i in 0..<(x.shape.count - 1) where t.shape[i] != x.shape[i] { same = false; break }
            if same { return t }
        }
        return tensor(Array(x.shape.dropLast()) + [last])
    }

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
