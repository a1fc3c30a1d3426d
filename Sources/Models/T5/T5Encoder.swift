import TensorEngine

/// The Hugging Face `T5EncoderModel`: shared token embedding (not scaled), a relative position bias
/// computed once and shared by all blocks, RMSNorm pre-norm blocks with unscaled attention and a
/// relu or gated-gelu FFN, no biases, final RMSNorm.
///
/// input_ids (B, T) [+ attention_mask (B, T)] -> last_hidden_state (B, T, d_model). Padded query
/// positions are computed too (they attend to the unpadded keys), as in transformers.
/// Forward and backward reuse layer-owned buffers; gradients accumulate until `zeroGrad()`.
public final class T5Encoder: Module {
    public let config: T5Config
    /// `shared.weight` (V, D).
    public let embedding: Parameter
    public let relativeBias: T5RelativePositionBias
    /// `encoder.block.{i}`.
    public let blocks: [TransformerBlock]
    /// `encoder.final_layer_norm`.
    public let finalNorm: RMSNorm

    private var ids: [Int32] = []
    private var output: Tensor?
    private var bias: Tensor?
    private var masked = false
    private let embedSlot = TensorSlot(), maskSlot = TensorSlot(), dxSlot = TensorSlot(), dBiasSlot = TensorSlot()

    /// A model with zero-initialised weights (load or initialise them next).
    public init(config: T5Config) throws {
        try config.validate()
        self.config = config
        embedding = Parameter([config.vocabSize, config.dModel])
        relativeBias = T5RelativePositionBias(heads: config.numHeads, numBuckets: config.relativeAttentionNumBuckets,
                                              maxDistance: config.relativeAttentionMaxDistance)
        let blockConfig = try TransformerBlockConfig(t5: config)
        blocks = (0 ..< config.numLayers).map { _ in TransformerBlock(blockConfig) }
        finalNorm = RMSNorm(config.dModel, eps: Float(config.layerNormEpsilon))
    }

    /// input_ids (B, T) row-major -> last_hidden_state (B, T, D). `attentionMask` (B, T) holds 1 for
    /// tokens and 0 for padding (nil = all tokens). Throws on ids outside the vocabulary, a wrong
    /// count or mask values other than 0 and 1.
    public func forward(inputIDs: [Int32], batch: Int, length: Int, attentionMask: [Int32]? = nil) throws -> Tensor {
        guard batch > 0, length > 0, inputIDs.count == batch * length else {
            throw ModelError(.invalidInput, "input_ids must hold batch * length = \(batch) * \(length) ids, got \(inputIDs.count)")
        }
        let d = config.dModel
        ids = inputIDs
        let x0 = embedSlot.tensor([batch, length, d])                          // (B, T, D)
        do {
            try inputIDs.withUnsafeBufferPointer { try Ops.embeddingForward(ids: $0, table: embedding.value, y: x0) }
        } catch let error as TensorEngineError {
            throw ModelError(.invalidInput, "input_ids: \(error.message)", cause: error)
        }
        let mask = try keyMask(attentionMask, batch: batch, length: length)    // (B, T) or nil
        let b = relativeBias.forward(length: length)                           // (H, T, T)
        bias = b
        var x = x0
        for block in blocks { x = block.forward(x, attentionBias: b, keyMask: mask) }
        let y = finalNorm.forward(x)
        output = y
        return y
    }

    /// Backward of the last `forward`: accumulates the gradients of every block, the final norm,
    /// the relative bias table (summed over all blocks that share it) and the embedding rows used.
    public func backward(_ dOutput: Tensor) {
        guard let y = output else { preconditionFailure("T5Encoder.backward before forward") }
        precondition(dOutput.shape == y.shape, "gradient \(dOutput.shape) does not match the output \(y.shape)")
        let t = y.dim(1)
        var dx = dxSlot.tensor(y.shape)                                          // (B, T, D)
        finalNorm.backward(dOutput, dx: dx, accumulate: false)
        let dBias = dBiasSlot.tensor([config.numHeads, t, t], zeroed: true)      // (H, T, T)
        for block in blocks.reversed() { dx = block.backward(dx, attentionBiasGrad: dBias) }
        relativeBias.backward(dBias)
        if !embedding.frozen {
            ids.withUnsafeBufferPointer { Ops.embeddingBackward(ids: $0, dy: dx, dTable: embedding.grad) }
        }
    }

    /// The engine's float key mask, or nil when every token is real (then no mask is applied, as in
    /// transformers, where an all-ones mask adds zeros).
    private func keyMask(_ attentionMask: [Int32]?, batch: Int, length: Int) throws -> Tensor? {
        guard let attentionMask else { return nil }
        guard attentionMask.count == batch * length else {
            throw ModelError(.invalidInput, "attention_mask must have the shape of input_ids (\(batch), \(length)), got \(attentionMask.count) values")
        }
        var allOnes = true
        for (i, v) in attentionMask.enumerated() {
            guard v == 0 || v == 1 else {
                throw ModelError(.invalidInput, "attention_mask must hold 0 and 1, got \(v) at index \(i)")
            }
            if v == 0 { allOnes = false }
        }
        if allOnes { return nil }
        let mask = maskSlot.tensor([batch, length])
        let mp = mask.pointer
        for (i, v) in attentionMask.enumerated() { mp[i] = Float(v) }
        return mask
    }
}
