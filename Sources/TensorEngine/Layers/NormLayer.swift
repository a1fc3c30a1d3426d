/// A normalisation layer over the last axis (LayerNorm or RMSNorm) usable interchangeably in blocks.
public protocol NormLayer: Module {
    func forward(_ x: Tensor) -> Tensor
    /// Accumulates parameter gradients; writes (or adds, with `accumulate`) dx into `dx`.
    func backward(_ dy: Tensor, dx: Tensor, accumulate: Bool)
}

/// Which normalisation a block uses.
public enum NormKind: Codable, Sendable, Equatable {
    case layerNorm(eps: Float)
    case rmsNorm(eps: Float)

    public func make(_ dim: Int) -> NormLayer {
        switch self {
        case .layerNorm(let eps): return LayerNorm(dim, eps: eps)
        case .rmsNorm(let eps): return RMSNorm(dim, eps: eps)
        }
    }
}
