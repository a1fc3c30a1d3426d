import TensorEngine

extension TextToImagePipeline {
    /// Throws `nonFiniteOutput` when `tensor` holds NaN or an infinity. Converting such values to
    /// pixels gives a black or garbled image that looks like a result, so a broken model (weights,
    /// norm epsilon, RoPE theta, latent statistics) fails here instead, with the count of bad values.
    static func requireFinite(_ tensor: Tensor, what: String) throws {
        var bad = 0
        for v in UnsafeBufferPointer(tensor.buffer) { bad &+= v.isFinite ? 0 : 1 }
        guard bad > 0 else { return }
        throw TextToImageError(.nonFiniteOutput,
                               "\(what) holds \(bad) NaN or infinite values of \(tensor.count) (shape \(tensor.shape)): the model's weights or settings are broken")
    }
}
