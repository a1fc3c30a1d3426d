import Sampler
import TensorEngine

/// v(x, t) = (x - z) / t: the straight path from noise to the fixed latent z has the constant
/// velocity eps - z, so Euler lands exactly on z with any number of steps.
final class StraightLineModel: VelocityModel {
    let imageTokens: Int, latentChannels: Int
    let target: Tensor                                                        // z (N, d)
    private let out = TensorSlot()

    init(target: Tensor) {
        self.target = target
        imageTokens = target.dim(0); latentChannels = target.dim(1)
    }

    func velocity(_ x: Tensor, timesteps: Tensor, text: Tensor, textMask: Tensor) throws -> Tensor {
        let y = out.tensor(like: x), per = imageTokens * latentChannels
        for b in 0 ..< x.dim(0) {
            let t = timesteps.pointer[b]
            for i in 0 ..< per { y.pointer[b * per + i] = (x.pointer[b * per + i] - target.pointer[i]) / t }
        }
        return y
    }
}
