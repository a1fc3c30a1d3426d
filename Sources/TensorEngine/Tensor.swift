/// A contiguous, row-major float32 tensor: a shape plus a view onto a `TensorStorage`.
///
/// `Tensor` is a small value (storage reference, offset, shape); copying it shares the storage, so
/// a layer can hand out its output buffer without copying data. Reshape and leading-axis slicing are
/// views; permutes and other strided layouts are explicit copy ops with a backward.
public struct Tensor {
    public let storage: TensorStorage
    public let offset: Int
    public private(set) var shape: [Int]
    public let count: Int

    /// A zero-filled tensor with fresh storage.
    public init(zeros shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        let n = shape.reduce(1, *)
        self.storage = TensorStorage(capacity: n)
        self.offset = 0
        self.shape = shape
        self.count = n
    }

    /// A view of `shape` onto `storage` starting at `offset`.
    public init(storage: TensorStorage, offset: Int = 0, shape: [Int]) {
        let n = shape.reduce(1, *)
        precondition(offset >= 0 && offset + n <= storage.capacity, "view \(shape) at \(offset) exceeds storage \(storage.capacity)")
        self.storage = storage
        self.offset = offset
        self.shape = shape
        self.count = n
    }

    /// A tensor holding a copy of `values` (throws when the count does not match the shape).
    public init(shape: [Int], values: [Float]) throws {
        let n = shape.reduce(1, *)
        guard n == values.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorEngineError(.shapeMismatch, "\(values.count) values cannot fill shape \(shape)")
        }
        self.init(zeros: shape)
        values.withUnsafeBufferPointer { src in
            if n > 0 { pointer.update(from: src.baseAddress!, count: n) }
        }
    }

    public var rank: Int { shape.count }
    public var pointer: UnsafeMutablePointer<Float> { storage.base + offset }
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// Size of dimension `i`; negative indices count from the end.
    public func dim(_ i: Int) -> Int { shape[i < 0 ? shape.count + i : i] }

    /// Product of all dimensions except the last (rows of a (..., C) tensor seen as a matrix).
    public var rows: Int { shape.isEmpty ? 1 : count / max(shape[shape.count - 1], 1) }

    /// A view with a new shape of the same element count (no copy; gradients reshape the same way).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            resolved[inferred] = known == 0 ? 0 : count / known
        }
        precondition(resolved.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(storage: storage, offset: offset, shape: resolved)
    }

    /// A view of rows `range` along the first axis (contiguous, no copy).
    public func slice(first range: Range<Int>) -> Tensor {
        precondition(!shape.isEmpty && range.lowerBound >= 0 && range.upperBound <= shape[0], "slice \(range) out of \(shape)")
        let inner = shape.dropFirst().reduce(1, *)
        return Tensor(storage: storage, offset: offset + range.lowerBound * inner, shape: [range.count] + shape.dropFirst())
    }

    public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }
    public func zero() { fill(0) }

    /// Copies `other` (same element count) into this tensor.
    public func copy(from other: Tensor) {
        precondition(other.count == count, "copy: \(other.shape) into \(shape)")
        pointer.update(from: other.pointer, count: count)
    }

    /// The values as an array (allocates; for tests, I/O and debugging).
    public var values: [Float] { Array(buffer) }

    /// Element at a multi-index (slow; for tests).
    public subscript(_ index: Int...) -> Float {
        get { pointer[flatIndex(index)] }
        nonmutating set { pointer[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index \(index) for shape \(shape)")
        var flat = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "index \(index) out of \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    /// Throws unless this tensor has exactly `expected` shape; `name` goes into the message.
    public func checkShape(_ expected: [Int], name: String) throws {
        guard shape == expected else {
            throw TensorEngineError(.shapeMismatch, "\(name): expected shape \(expected), got \(shape)")
        }
    }

    /// True when both tensors view the same memory (used to check buffer reuse across steps).
    public func sharesBuffer(with other: Tensor) -> Bool { pointer == other.pointer && count == other.count }
}
