import TensorEngine

/// The Hugging Face `Dinov2Model` (and `Dinov2WithRegistersModel` at its native resolution):
/// embeddings, pre-norm blocks with LayerScale, final LayerNorm.
///
/// pixel_values (B, C, H, W) -> last_hidden_state (B, 1 + R + (H/p)(W/p), D), CLS first.
/// Forward and backward reuse layer-owned buffers, so repeated calls at one input shape allocate
/// nothing; gradients accumulate into the parameters until `zeroGrad()`.
public final class Dinov2Model: Module {
    public let config: Dinov2Config
    public let embeddings: Dinov2Embeddings
    /// `encoder.layer.{i}` (transformers' `Dinov2Layer`).
    public let layers: [TransformerBlock]
    /// Final `layernorm`.
    public let layerNorm: LayerNorm

    private var output: Tensor?
    private let dxSlot = TensorSlot()

    /// A model with zero-initialised weights (load or initialise them next).
    public init(config: Dinov2Config) throws {
        try config.validate()
        self.config = config
        embeddings = try Dinov2Embeddings(config: config)
        let blockConfig = try TransformerBlockConfig(dinov2: config)
        layers = (0 ..< config.numHiddenLayers).map { _ in TransformerBlock(blockConfig) }
        layerNorm = LayerNorm(config.hiddenSize, eps: Float(config.layerNormEps))
        // The input image needs no gradient unless a caller asks for it.
        embeddings.patchEmbedding.needsInputGradient = false
    }

    /// Whether `backward` returns d pixel_values (false by default: images are data).
    public var needsInputGradient: Bool {
        get { embeddings.patchEmbedding.needsInputGradient }
        set { embeddings.patchEmbedding.needsInputGradient = newValue }
    }

    /// pixel_values (B, C, H, W) -> last_hidden_state (B, T, D). Throws on a wrong channel count,
    /// an image smaller than one patch, or a resize this implementation cannot do.
    public func forward(_ pixelValues: Tensor) throws -> Tensor {
        guard pixelValues.rank == 4, pixelValues.dim(1) == config.numChannels,
              pixelValues.dim(2) >= embeddings.patch, pixelValues.dim(3) >= embeddings.patch, pixelValues.dim(0) > 0 else {
            throw ModelError(.invalidInput, "pixel_values must be (B, \(config.numChannels), H >= \(embeddings.patch), W >= \(embeddings.patch)), got \(pixelValues.shape)")
        }
        let x = layers.forward(try embeddings.forward(pixelValues))           // (B, T, D)
        let y = layerNorm.forward(x)
        output = y
        return y
    }

    /// Backward of the last `forward`: accumulates every parameter gradient; returns d pixel_values
    /// when `needsInputGradient`, else nil.
    @discardableResult
    public func backward(_ dOutput: Tensor) -> Tensor? {
        guard let y = output else { preconditionFailure("Dinov2Model.backward before forward") }
        precondition(dOutput.shape == y.shape, "gradient \(dOutput.shape) does not match the output \(y.shape)")
        let dx = dxSlot.tensor(y.shape)                                        // (B, T, D)
        layerNorm.backward(dOutput, dx: dx, accumulate: false)
        return embeddings.backward(layers.backward(dx))
    }
}
