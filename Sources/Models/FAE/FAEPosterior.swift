import TensorEngine

/// The FAE encoder's diagonal Gaussian q(z | x): mean and log-variance, each (B, N, d), in
/// encoder-owned buffers valid until the next forward.
public struct FAEPosterior {
    public let mean: Tensor
    public let logvar: Tensor
}
