import Models
import TensorEngine

/// What the sampler needs of a generator: the velocity of x_t (B, N, d) at times t (B) given text
/// hidden states (B, T, Ct) and mask (B, T), in a buffer the model owns until its next call.
public protocol VelocityModel: AnyObject {
    var imageTokens: Int { get }
    var latentChannels: Int { get }
    func velocity(_ x: Tensor, timesteps: Tensor, text: Tensor, textMask: Tensor) throws -> Tensor
}

extension MMDiT: VelocityModel {
    public var imageTokens: Int { config.imageTokens }
    public var latentChannels: Int { config.latentChannels }
    public func velocity(_ x: Tensor, timesteps: Tensor, text: Tensor, textMask: Tensor) throws -> Tensor {
        try forward(x, timesteps: timesteps, text: text, textMask: textMask)
    }
}
