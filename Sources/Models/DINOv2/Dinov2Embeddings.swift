import TensorEngine

/// DINOv2 embeddings: patch embedding, CLS token, learned positions (bicubic-resized to the input
/// grid as transformers 5.24 does) and optional register tokens.
///
/// pixel_values (B, C, H, W) -> tokens (B, 1 + R + P, D): [CLS + pos0, registers, patches + pos].
/// Registers carry no position (transformers inserts them after adding the positions).
public final class Dinov2Embeddings: Module {
    public let dim: Int, patch: Int, registerCount: Int
    /// Side lengths of the stored position grid (image_size / patch_size).
    public let gridHeight: Int, gridWidth: Int
    public let patchEmbedding: PatchEmbedding
    public let clsToken: Parameter                  // (1, 1, D)
    /// Only used by masked-image pretraining; kept so checkpoints round-trip.
    public let maskToken: Parameter?                // (1, D)
    public let registerTokens: Parameter?           // (1, R, D)
    public let positionEmbeddings: Parameter        // (1, 1 + N, D)
    /// Dinov2WithRegisters resizes positions with antialiasing, which is not implemented.
    let interpolationSupported: Bool

    /// Masked-image pretraining: (B * P) flags, 1 = the patch is replaced by `mask_token` (as
    /// transformers' `bool_masked_pos`). nil = no masking. Read by the next forward and backward.
    public var maskedPatches: [UInt8]?

    var plan: BicubicPlan?
    private var inputShape: Ops.PatchShape?
    private var resized = false
    private let tokensSlot = TensorSlot(), positionsSlot = TensorSlot(), dPatchesSlot = TensorSlot()
    private let dPositionsSlot = TensorSlot()

    init(config: Dinov2Config) throws {
        guard config.patchSize.height == config.patchSize.width, config.patchSize.height > 0 else {
            throw ModelError(.unsupportedConfiguration, "non-square patch_size \(config.patchSize) is not supported")
        }
        dim = config.hiddenSize
        patch = config.patchSize.height
        registerCount = config.numRegisterTokens
        gridHeight = config.positionGrid.height
        gridWidth = config.positionGrid.width
        guard gridHeight > 0, gridWidth > 0, registerCount >= 0 else {
            throw ModelError(.unsupportedConfiguration, "image_size \(config.imageSize) smaller than patch_size \(config.patchSize)")
        }
        patchEmbedding = PatchEmbedding(channels: config.numChannels, dim: dim, patch: patch)
        clsToken = Parameter([1, 1, dim])
        maskToken = config.useMaskToken || config.modelType == "dinov2_with_registers" ? Parameter([1, dim]) : nil
        registerTokens = registerCount > 0 ? Parameter([1, registerCount, dim]) : nil
        positionEmbeddings = Parameter([1, 1 + gridHeight * gridWidth, dim])
        interpolationSupported = config.modelType != "dinov2_with_registers"
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = [(prefix + "cls_token", clsToken)]
        if let maskToken { r.append((prefix + "mask_token", maskToken)) }
        if let registerTokens { r.append((prefix + "register_tokens", registerTokens)) }
        r.append((prefix + "position_embeddings", positionEmbeddings))
        r += patchEmbedding.namedParameters(prefix: prefix + "patch_embeddings.projection.")
        return r
    }

    /// pixel_values (B, C, H, W) -> (B, 1 + R + h*w, D) with h = H / p, w = W / p (remainders dropped).
    public func forward(_ pixels: Tensor) throws -> Tensor {
        let patches = try patchEmbedding.forward(pixels)                    // (B, P, D)
        let b = patches.dim(0), p = patches.dim(1), d = dim, r = registerCount
        let s = Ops.PatchShape(batch: b, channels: pixels.dim(1), height: pixels.dim(2), width: pixels.dim(3), patch: patch)
        inputShape = s
        let pos = try positions(s)                                           // (1 + P, D)
        let t = 1 + r + p
        let tokens = tokensSlot.tensor([b, t, d])                            // (B, 1 + R + P, D)
        let pp = patches.pointer, posp = pos.pointer, cls = clsToken.value.pointer
        let reg = registerTokens?.value.pointer, out = tokens.pointer
        let masked = try activeMask(batch: b, patches: p)
        let maskVector = maskToken?.value.pointer
        Parallel.chunks(b * t, minChunk: 64) { rows in
            for row in rows {
                let bi = row / t, ti = row % t
                let dst = out + row * d
                if ti == 0 {
                    for k in 0 ..< d { dst[k] = cls[k] + posp[k] }
                } else if ti <= r, let reg {
                    dst.update(from: reg + (ti - 1) * d, count: d)
                } else {
                    let pi = ti - 1 - r
                    var src = pp + (bi * p + pi) * d
                    if let masked, masked[bi * p + pi] != 0, let maskVector { src = maskVector }
                    let pr = posp + (1 + pi) * d
                    for k in 0 ..< d { dst[k] = src[k] + pr[k] }
                }
            }
        }
        return tokens
    }

    /// Accumulates gradients of the tokens, positions (through the resize when there was one),
    /// registers and patch embedding; returns d pixel_values when the patch embedding needs it.
    @discardableResult
    public func backward(_ dTokens: Tensor) -> Tensor? {
        guard let s = inputShape else { preconditionFailure("Dinov2Embeddings.backward before forward") }
        let b = s.batch, p = s.patches, d = dim, r = registerCount, t = 1 + r + p
        precondition(dTokens.shape == [b, t, d], "embeddings gradient must be (B, \(t), \(d))")
        let dy = dTokens.pointer
        // Patch tokens: the gradient passes straight to the patch embedding.
        let dPatches = dPatchesSlot.tensor([b, p, d])
        let masked = maskedPatches
        Parallel.chunks(b * p, minChunk: 64) { rows in
            for row in rows {
                let bi = row / p, pi = row % p
                if let masked, masked[row] != 0 {
                    (dPatches.pointer + row * d).update(repeating: 0, count: d)
                } else {
                    (dPatches.pointer + row * d).update(from: dy + (bi * t + 1 + r + pi) * d, count: d)
                }
            }
        }
        if let masked, let dMask = maskToken?.grad.pointer {
            for row in 0 ..< b * p where masked[row] != 0 {
                let bi = row / p, pi = row % p, src = dy + (bi * t + 1 + r + pi) * d
                for k in 0 ..< d { dMask[k] += src[k] }
            }
        }
        // Token-wise parameters: sums over the batch.
        let dPos = resized ? dPositionsSlot.tensor([1 + p, d], zeroed: true) : positionEmbeddings.grad
        let dp = dPos.pointer, dCls = clsToken.grad.pointer, dReg = registerTokens?.grad.pointer
        for bi in 0 ..< b {
            let rowBase = dy + bi * t * d
            for k in 0 ..< d { dCls[k] += rowBase[k]; dp[k] += rowBase[k] }
            if let dReg { for i in 0 ..< (r * d) { dReg[i] += rowBase[d + i] } }
            let patchBase = rowBase + (1 + r) * d
            for i in 0 ..< (p * d) { dp[d + i] += patchBase[i] }
        }
        if resized, let plan {
            let g = positionEmbeddings.grad.pointer
            for k in 0 ..< d { g[k] += dp[k] }
            plan.applyBackward(dp + d, channels: d, accumulateInto: g + d)
        }
        return patchEmbedding.backward(dPatches)
    }

    private func activeMask(batch b: Int, patches p: Int) throws -> [UInt8]? {
        guard let maskedPatches else { return nil }
        guard maskToken != nil else {
            throw ModelError(.unsupportedConfiguration, "masking patches needs use_mask_token = true")
        }
        guard maskedPatches.count == b * p else {
            throw ModelError(.invalidInput, "the patch mask has \(maskedPatches.count) flags, the batch has \(b * p) patches")
        }
        return maskedPatches
    }

    /// The position table for this input, (1 + h*w, D): the stored one when the grid matches and the
    /// image is square (transformers' exact condition), else its patch part resized bicubically.
    private func positions(_ s: Ops.PatchShape) throws -> Tensor {
        let n = gridHeight * gridWidth
        let stored = positionEmbeddings.value.reshaped([1 + n, dim])
        if s.patches == n && s.height == s.width {
            resized = false
            return stored
        }
        guard interpolationSupported else {
            throw ModelError(.unsupportedConfiguration,
                             "Dinov2WithRegisters resizes positions with antialiasing, which is not implemented; use \(gridHeight * patch)x\(gridWidth * patch) images")
        }
        // transformers reshapes the stored grid to int(sqrt(N)) squared.
        let side = Int(Double(n).squareRoot())
        guard side * side == n else {
            throw ModelError(.unsupportedConfiguration, "the position grid (\(gridHeight)x\(gridWidth)) is not square, so it cannot be resized")
        }
        let current: BicubicPlan
        if let plan, plan.inputHeight == side, plan.outputHeight == s.gridHeight, plan.outputWidth == s.gridWidth {
            current = plan
        } else {
            current = BicubicPlan(inputHeight: side, inputWidth: side, target: .size(height: s.gridHeight, width: s.gridWidth))
            plan = current
        }
        let out = positionsSlot.tensor([1 + s.patches, dim])
        out.pointer.update(from: stored.pointer, count: dim)
        current.apply(stored.pointer + dim, channels: dim, into: out.pointer + dim)
        resized = true
        return out
    }
}
