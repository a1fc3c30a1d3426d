/// Conv patch embedding (kernel = stride = patch): image (B, Cin, H, W) -> tokens (B, P, C), with
/// the weight in PyTorch conv layout (C, Cin, p, p) — Hugging Face `patch_embeddings.projection`.
public final class PatchEmbedding: Module {
    public let channels: Int, dim: Int, patch: Int
    public let weight: Parameter, bias: Parameter
    public var needsInputGradient = false

    private var shape: Ops.PatchShape?
    private let colsSlot = TensorSlot(), outSlot = TensorSlot(), dColsSlot = TensorSlot(), dImageSlot = TensorSlot()

    public init(channels: Int, dim: Int, patch: Int) {
        self.channels = channels; self.dim = dim; self.patch = patch
        weight = Parameter([dim, channels, patch, patch])
        bias = Parameter([dim])
        weightMatrix = weight.value.reshaped([dim, channels * patch * patch])
        weightGradMatrix = weight.grad.reshaped([dim, channels * patch * patch])
    }

    // (C, Cin * p * p) views of the conv weight and its gradient, made once.
    private let weightMatrix: Tensor, weightGradMatrix: Tensor

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        [(prefix + "weight", weight), (prefix + "bias", bias)]
    }

    public func initialize(_ rng: inout RandomGenerator) {
        let bound = 1 / Float(channels * patch * patch).squareRoot()
        rng.fillUniform(weight.value, low: -bound, high: bound)
        rng.fillUniform(bias.value, low: -bound, high: bound)
    }

    /// The image comes from the user, so a wrong channel count or a too-small image throws.
    public func forward(_ image: Tensor) throws -> Tensor {
        guard image.rank == 4, image.dim(1) == channels, image.dim(2) >= patch, image.dim(3) >= patch else {
            throw TensorEngineError(.shapeMismatch, "patch embedding expects (B, \(channels), H >= \(patch), W >= \(patch)), got \(image.shape)")
        }
        let s = Ops.PatchShape(batch: image.dim(0), channels: channels, height: image.dim(2), width: image.dim(3), patch: patch)
        shape = s
        let cols = colsSlot.tensor(s.batch * s.patches, s.patchSize)         // (B*P, Cin*p*p)
        Ops.im2col(s, image: image, cols: cols)
        let y = outSlot.tensor(s.batch, s.patches, dim)                        // (B, P, C)
        Ops.linearForward(x: cols, weight: weightMatrix, bias: bias.value, y: y)
        return y
    }

    /// Accumulates weight/bias gradients; returns dImage when `needsInputGradient`.
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard let s = shape else { preconditionFailure("PatchEmbedding.backward before forward") }
        let cols = colsSlot.tensor(s.batch * s.patches, s.patchSize)
        let dCols = needsInputGradient ? dColsSlot.tensor(like: cols) : nil
        Ops.linearBackward(dy: dy, x: cols, weight: weightMatrix, dx: dCols,
                           dWeight: weightGradMatrix, dBias: bias.grad, accumulate: false)
        guard let dCols else { return nil }
        let dImage = dImageSlot.tensor(s.batch, channels, s.height, s.width)
        dImage.zero()
        Ops.col2im(s, dCols: dCols, dImage: dImage)
        return dImage
    }
}
