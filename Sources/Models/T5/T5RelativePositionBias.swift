import Foundation
import TensorEngine

/// T5's learned relative-position bias: a (num_buckets, H) table indexed by the bucket of
/// key - query, giving an additive score bias (H, Tq, Tk) that all encoder blocks share.
/// Owned by block 0 in the checkpoint (`layer.0.SelfAttention.relative_attention_bias.weight`).
public final class T5RelativePositionBias: Module {
    public let heads: Int, numBuckets: Int, maxDistance: Int
    public let table: Parameter                                  // (num_buckets, H)

    private var buckets: [Int32] = []                            // (Tq, Tk), cached per length
    private var length = -1
    private let biasSlot = TensorSlot()

    public init(heads: Int, numBuckets: Int, maxDistance: Int) {
        self.heads = heads; self.numBuckets = numBuckets; self.maxDistance = maxDistance
        table = Parameter([numBuckets, heads])
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] { [(prefix + "weight", table)] }

    /// The bias (H, T, T) for T tokens attending to themselves: bias[h, i, j] = table[bucket(j - i), h].
    public func forward(length t: Int) -> Tensor {
        if t != length {
            // Rebuilt only when the sequence length changes.
            buckets = [Int32](unsafeUninitializedCapacity: t * t) { b, n in
                for i in 0 ..< t { for j in 0 ..< t { b[i * t + j] = Int32(Self.bucket(j - i, bidirectional: true, numBuckets: numBuckets, maxDistance: maxDistance)) } }
                n = t * t
            }
            length = t
        }
        let bias = biasSlot.tensor([heads, t, t])                // (H, T, T)
        buckets.withUnsafeBufferPointer { bk in
            // Buckets come from `bucket(...)`, always inside the table, so the op cannot throw here.
            try? Ops.relativePositionBiasForward(table: table.value, buckets: bk, bias: bias)
        }
        return bias
    }

    /// Backward of `forward(length:)`: table[bucket(j - i), h] += dBias[h, i, j].
    public func backward(_ dBias: Tensor) {
        precondition(dBias.shape == [heads, length, length], "bias gradient must be (H, T, T) of the last forward")
        if table.frozen { return }
        buckets.withUnsafeBufferPointer { Ops.relativePositionBiasBackward(dBias: dBias, buckets: $0, dTable: table.grad) }
    }

    /// transformers' `T5Attention._relative_position_bucket` for one relative position
    /// (memory - query). The log is taken in float32 as torch does, then truncated toward zero.
    public static func bucket(_ relativePosition: Int, bidirectional: Bool, numBuckets: Int, maxDistance: Int) -> Int {
        var buckets = numBuckets
        var result = 0
        var n: Int
        if bidirectional {
            buckets /= 2
            if relativePosition > 0 { result += buckets }
            n = abs(relativePosition)
        } else {
            n = -min(relativePosition, 0)
        }
        let maxExact = buckets / 2
        if n < maxExact { return result + n }
        // torch: log(n.float() / max_exact) in float32, / math.log(max_distance / max_exact) (a double
        // scalar applied to a float32 tensor: float32 op), * (num_buckets - max_exact), .to(long).
        let logRatio = Foundation.log(Float(n) / Float(maxExact))
        let scaled = logRatio / Float(Foundation.log(Double(maxDistance) / Double(maxExact))) * Float(buckets - maxExact)
        // Non-finite only for max_distance <= max_exact, which T5Encoder rejects; never trap on it.
        guard scaled.isFinite else { return result + buckets - 1 }
        let large = maxExact + Int(scaled)
        return result + min(large, buckets - 1)
    }
}
