import TensorEngine

/// The generator's training step split across copies of its models, one per thread (data
/// parallelism): each copy runs the forward and backward of its rows of the batch with its ops on
/// one thread, instead of every op being split across the threads. Copy 0 is the trained model, the
/// one whose parameters the optimizer updates; before each step the others take its weights, and
/// after it their gradients are added into its own, so the result is the gradient of the whole
/// batch up to the order of float sums. A 128-wide model's ops are small, and splitting each of them
/// costs more in synchronisation than whole copies do (`fae-t2i bench train`).
final class DataParallelGenerator {
    /// The trained models are the first copy's.
    let replicas: [GeneratorReplica]
    var primary: GeneratorReplica { replicas[0] }

    /// Each copy's loss and error of the current step, written by its own thread.
    private var losses: [Float]
    private var errors: [(any Error)?]

    /// `primary` and `count - 1` copies of it (`count` >= 1).
    init(primary: GeneratorReplica, count: Int) throws {
        precondition(count >= 1, "at least one replica")
        replicas = [primary] + (try (1 ..< count).map { _ in try primary.makeCopy() })
        losses = [Float](repeating: 0, count: count)
        errors = [(any Error)?](repeating: nil, count: count)
    }

    /// The auxiliary losses of the last `lossAndGradients`, summed over the copies.
    var bindingTally: ClassifierTally {
        replicas.prefix(lastCopies).reduce(ClassifierTally()) { $0 + $1.bindingTally }
    }
    var layoutTally: ClassifierTally {
        replicas.prefix(lastCopies).reduce(ClassifierTally()) { $0 + $1.layoutTally }
    }
    private var lastCopies = 1

    /// The batch's mean flow-matching loss and, accumulated into the first copy's parameters, its
    /// gradient (with `binding` and `layout`, the auxiliary losses' too). `xt`, `target`,
    /// `dVelocity` (B, N, C), `timesteps` (B), `ids` and `mask` (B, T).
    func lossAndGradients(xt: Tensor, timesteps: Tensor, target: Tensor, ids: [Int32], mask: [Int32], textTokens: Int,
                          dVelocity: Tensor, binding: TokenLabels? = nil, layout: TokenLabels? = nil) throws -> Float {
        let b = xt.dim(0), n = min(replicas.count, b)
        lastCopies = n
        if n == 1 {
            return try primary.loss(rows: 0 ..< b, xt: xt, timesteps: timesteps, target: target, batchIDs: ids,
                                    batchMask: mask, textTokens: textTokens, dVelocity: dVelocity, binding: binding, layout: layout)
        }
        losses.withUnsafeMutableBufferPointer { lossOut in
            errors.withUnsafeMutableBufferPointer { errorOut in
                Parallel.concurrently(n) { r in
                    let rows = Self.rows(of: r, copies: n, batch: b)
                    do {
                        if r > 0 { replicas[r].copyWeights(from: primary) }
                        lossOut[r] = try replicas[r].loss(rows: rows, xt: xt, timesteps: timesteps, target: target,
                                                          batchIDs: ids, batchMask: mask, textTokens: textTokens,
                                                          dVelocity: dVelocity, gradientScale: Float(rows.count) / Float(b),
                                                          binding: binding, layout: layout)
                        errorOut[r] = nil
                    } catch {
                        errorOut[r] = error
                    }
                }
            }
        }
        if let error = errors.prefix(n).compactMap({ $0 }).first { throw error }
        for replica in replicas[1 ..< n] {
            for (into, from) in zip(primary.parameters, replica.parameters) { Ops.accumulate(from.grad, into: into.grad) }
        }
        var sum: Float = 0
        for r in 0 ..< n { sum += losses[r] * Float(Self.rows(of: r, copies: n, batch: b).count) }
        return sum / Float(b)
    }

    /// The rows of a batch of `b` that copy `r` of `n` takes (contiguous, sizes differing by at most one).
    private static func rows(of r: Int, copies n: Int, batch b: Int) -> Range<Int> {
        b * r / n ..< b * (r + 1) / n
    }
}
