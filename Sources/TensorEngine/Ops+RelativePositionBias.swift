extension Ops {
    /// T5-style relative position bias: bias (H, Tq, Tk)[h, i, j] = table (numBuckets, H)[bucket[i * Tk + j], h],
    /// with the table in Hugging Face `relative_attention_bias.weight` layout. Bucket ids are computed
    /// by the model (they depend on its bucketing rule), so they are validated here and throw.
    public static func relativePositionBiasForward(table: Tensor, buckets: UnsafeBufferPointer<Int32>, bias: Tensor) throws {
        let nb = table.dim(0), heads = table.dim(1), tile = buckets.count
        precondition(bias.count == heads * tile, "bias must be (H, Tq, Tk)")
        for (i, b) in buckets.enumerated() where b < 0 || Int(b) >= nb {
            throw TensorEngineError(.invalidArgument, "relative position bucket \(b) at \(i) outside 0..<\(nb)")
        }
        let tp = table.pointer, bp = bias.pointer
        Parallel.chunks(heads) { hs in
            for h in hs { for i in 0..<tile { bp[h * tile + i] = tp[Int(buckets[i]) * heads + h] } }
        }
    }

    /// Backward: dTable[bucket[i, j], h] += dBias[h, i, j]. Parallel over heads (each head owns a column).
    public static func relativePositionBiasBackward(dBias: Tensor, buckets: UnsafeBufferPointer<Int32>, dTable: Tensor) {
        let heads = dTable.dim(1), tile = buckets.count
        let dp = dTable.pointer, dbp = dBias.pointer
        Parallel.chunks(heads) { hs in
            for h in hs { for i in 0..<tile { dp[Int(buckets[i]) * heads + h] += dbp[h * tile + i] } }
        }
    }
}
