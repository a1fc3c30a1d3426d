/// A reference-typed, 64-byte-aligned float32 buffer. Tensors are views onto one of these; layers
/// keep their storages across steps so a training or sampling step allocates nothing after the first.
public final class TensorStorage {
    public let base: UnsafeMutablePointer<Float>
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity >= 0, "negative capacity")
        self.capacity = capacity
        // Aligned so SIMD loads and OpenBLAS kernels never straddle cache lines at the start.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1) * MemoryLayout<Float>.stride, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(capacity, 1))
        base.initialize(repeating: 0, count: max(capacity, 1))
    }

    deinit { UnsafeMutableRawPointer(base).deallocate() }
}
