import TensorEngine

/// MMDiT flow-matching generator (SD3-style): predicts the velocity (B, N, d) of noisy FAE latents
/// x_t (B, N, d) at times t (B), conditioned on text hidden states (B, T, Ct) with mask (B, T).
///
/// Image tokens and text tokens are embedded to width W (text plus an optional learned position
/// embedding, `MMDiTConfig.textPositions`), pass `depth` two-stream blocks with joint
/// attention and adaLN-Zero modulation from c = MLP(sinusoidal(t)) + Linear(masked-mean text), then
/// a final adaLN + Linear maps image tokens to d channels. Backward gives every parameter gradient
/// and the gradient of the text hidden states (the text encoder trains jointly).
public final class MMDiT: Module {
    public let config: MMDiTConfig
    public let imageEmbedder: Linear, textEmbedder: Linear
    /// Learned text positions (max_text_tokens, W), added after `textEmbedder`; nil when the config has none.
    public let textPositionEmbedding: Parameter?
    public let conditioning: MMDiTConditioning
    public let blocks: [MMDiTBlock]
    /// SiLU(c) -> [shift, scale] of the final norm (zero-initialised).
    public let finalModulation: Linear
    public let finalLinear: Linear
    private let ones: Tensor

    private var lastImage: Tensor?, finalModulationOut: Tensor?
    private let keyMaskSlot = TensorSlot(), dSiluCSlot = TensorSlot()
    private let finalNormSlot = TensorSlot(), finalRstdSlot = TensorSlot(), finalModulatedSlot = TensorSlot()
    private let dFinalModSlot = TensorSlot(), dFinalNormSlot = TensorSlot(), dImageSlot = TensorSlot()
    private let dTextSlot = TensorSlot(), positionedTextSlot = TensorSlot()

    public init(config: MMDiTConfig) throws {
        try config.validate()
        self.config = config
        let w = config.width
        imageEmbedder = Linear(config.latentChannels, w)
        imageEmbedder.needsInputGradient = false
        textEmbedder = Linear(config.textWidth, w)
        textPositionEmbedding = config.textPositions ? Parameter([config.maxTextTokens, w]) : nil
        conditioning = MMDiTConditioning(config: config)
        let rope = try RoPETable(gridHeight: config.gridHeight, gridWidth: config.gridWidth, headDim: config.headDim,
                                 theta: Float(config.ropeTheta))
        blocks = (0..<config.depth).map { MMDiTBlock(config: config, last: $0 == config.depth - 1, rope: rope) }
        finalModulation = Linear(w, 2 * w)
        finalLinear = Linear(w, config.latentChannels)
        ones = Tensor(zeros: [w])
        ones.fill(1)
    }

    /// Checks user-provided shapes against the config; throws `ModelError.invalidInput`.
    public func validateInputs(x: Tensor, timesteps: Tensor, text: Tensor, textMask: Tensor) throws {
        let b = x.rank == 3 ? x.dim(0) : -1
        guard x.shape == [b, config.imageTokens, config.latentChannels], b > 0 else {
            throw ModelError(.invalidInput, "MMDiT: x must be (B, \(config.imageTokens), \(config.latentChannels)), got \(x.shape)")
        }
        guard timesteps.count == b else { throw ModelError(.invalidInput, "MMDiT: timesteps must be (\(b)), got \(timesteps.shape)") }
        guard text.rank == 3, text.dim(0) == b, text.dim(2) == config.textWidth, (1...config.maxTextTokens).contains(text.dim(1)) else {
            throw ModelError(.invalidInput, "MMDiT: text must be (\(b), 1...\(config.maxTextTokens), \(config.textWidth)), got \(text.shape)")
        }
        guard textMask.count == b * text.dim(1) else {
            throw ModelError(.invalidInput, "MMDiT: text mask must be (\(b), \(text.dim(1))), got \(textMask.shape)")
        }
    }

    /// x (B, N, d), timesteps (B), text (B, T, Ct), textMask (B, T) (1 = token, 0 = padding)
    /// -> velocity (B, N, d), in a model-owned buffer reused by the next call.
    public func forward(_ x: Tensor, timesteps: Tensor, text: Tensor, textMask: Tensor) throws -> Tensor {
        try validateInputs(x: x, timesteps: timesteps, text: text, textMask: textMask)
        let b = x.dim(0), t = text.dim(1), n = config.imageTokens, w = config.width
        let siluC = conditioning.forward(timesteps: timesteps, text: text, mask: textMask)   // (B, W)
        let keyMask = keyMaskSlot.tensor(b, t + n)
        JointTokens.keyMask(text: textMask, imageTokens: n, into: keyMask)
        var ht: Tensor? = embedText(text)                                     // (B, T, W)
        var hi = imageEmbedder.forward(x)                                     // (B, N, W)
        for block in blocks {
            guard let textIn = ht else { break }
            (ht, hi) = block.forward(text: textIn, image: hi, siluC: siluC, keyMask: keyMask)
        }
        lastImage = hi
        let mod = finalModulation.forward(siluC)                              // (B, 2W)
        finalModulationOut = mod
        let normed = finalNormSlot.tensor(b, n, w)
        Ops.rmsNormForward(x: hi, weight: ones, eps: Float(config.normEpsilon), y: normed, rstd: finalRstdSlot.tensor(b * n))
        let modulated = finalModulatedSlot.tensor(b, n, w)
        Ops.modulateForward(x: normed, shift: .init(chunk: 0, width: w, of: mod), scale: .init(chunk: 1, width: w, of: mod), y: modulated)
        return finalLinear.forward(modulated)                                 // (B, N, d)
    }

    /// The image stream's hidden states after the last block, RMS-normalised as the output layer
    /// reads them (before its modulation), (B, N, W) of the last forward: for auxiliary losses of
    /// training (`backward`'s `dImageHidden`).
    public var imageHidden: Tensor? {
        lastImage.map { finalNormSlot.tensor($0.dim(0), $0.dim(1), config.width) }
    }

    /// dVelocity (B, N, d) -> gradient of the text hidden states (B, T, Ct) (model-owned).
    /// Accumulates every parameter gradient; `dImageHidden` (B, N, W) is an extra gradient of the
    /// loss with respect to `imageHidden`.
    @discardableResult
    public func backward(_ dy: Tensor, dImageHidden: Tensor? = nil) -> Tensor {
        guard let hi = lastImage, let mod = finalModulationOut else { preconditionFailure("MMDiT.backward before forward") }
        let b = hi.dim(0), n = hi.dim(1), w = config.width
        let dSiluC = dSiluCSlot.tensor(b, w)
        dSiluC.zero()
        let dModulated = finalLinear.backward(dy)!
        let dMod = dFinalModSlot.tensor(like: mod)
        dMod.zero()
        let dNormed = dFinalNormSlot.tensor(b, n, w)
        Ops.modulateBackward(dy: dModulated, x: finalNormSlot.tensor(b, n, w), scale: .init(chunk: 1, width: w, of: mod),
                             dx: dNormed, dShift: .init(chunk: 0, width: w, of: dMod), dScale: .init(chunk: 1, width: w, of: dMod),
                             accumulate: false)
        let dImage = dImageSlot.tensor(b, n, w)
        if let dImageHidden { Ops.accumulate(dImageHidden, into: dNormed) }
        Ops.rmsNormBackward(dy: dNormed, x: hi, weight: ones, rstd: finalRstdSlot.tensor(b * n), dx: dImage, dWeight: nil, accumulate: false)
        finalModulation.backward(dMod, accumulateInto: dSiluC)
        var dht: Tensor? = nil, dhi = dImage
        for block in blocks.reversed() {
            let (dt, di) = block.backward(text: dht, image: dhi, dSiluC: dSiluC)
            dht = dt; dhi = di
        }
        imageEmbedder.backward(dhi)
        guard let dTextHidden = dht else { preconditionFailure("MMDiT has at least one block") }
        if let textPositionEmbedding { Self.accumulatePositionGradient(dTextHidden, into: textPositionEmbedding.grad) }
        guard let dTextEmbedded = textEmbedder.backward(dTextHidden) else { preconditionFailure("text embedder lost its input gradient") }
        let dText = dTextSlot.tensor(like: dTextEmbedded)
        dText.copy(from: dTextEmbedded)
        conditioning.backward(dSiluC, dText: dText)
        return dText
    }

    /// text (B, T, Ct) -> Linear(text) + positions[0..<T] (B, T, W).
    private func embedText(_ text: Tensor) -> Tensor {
        let embedded = textEmbedder.forward(text)
        guard let textPositionEmbedding else { return embedded }
        let b = embedded.dim(0), t = embedded.dim(1), w = embedded.dim(2)
        let y = positionedTextSlot.tensor(b, t, w)
        Ops.addRowForward(embedded.reshaped([b, t * w]), row: Self.firstPositions(textPositionEmbedding.value, t), y: y)
        return y
    }

    /// Positions are shared by every sample: dPositions[0..<T] += sum over the batch of dText (B, T, W).
    private static func accumulatePositionGradient(_ dText: Tensor, into grad: Tensor) {
        let b = dText.dim(0), t = dText.dim(1), w = dText.dim(2)
        Ops.addRowBackward(dy: dText.reshaped([b, t * w]), dx: nil, dRow: firstPositions(grad, t))
    }

    /// Rows 0..<t of a (max_text_tokens, W) table as one (t * W) row.
    private static func firstPositions(_ table: Tensor, _ t: Int) -> Tensor {
        table.slice(first: 0..<t).reshaped([t * table.dim(1)])
    }
}
