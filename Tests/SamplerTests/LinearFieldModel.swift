import Sampler
import TensorEngine

/// v(x, t) = k x + text[b, 0, 0]: smooth, with the exact solution of dx/dt = k x + c from t = 1
/// to 0 known in closed form; records the batch size of every call.
final class LinearFieldModel: VelocityModel {
    let imageTokens: Int, latentChannels: Int
    let k: Float
    private(set) var batchSizes: [Int] = []
    private let out = TensorSlot()

    init(tokens: Int = 2, channels: Int = 3, k: Float) {
        imageTokens = tokens; latentChannels = channels; self.k = k
    }

    func velocity(_ x: Tensor, timesteps: Tensor, text: Tensor, textMask: Tensor) throws -> Tensor {
        batchSizes.append(x.dim(0))
        let y = out.tensor(like: x), per = imageTokens * latentChannels, tc = text.dim(1) * text.dim(2)
        for b in 0 ..< x.dim(0) {
            let c = text.pointer[b * tc]
            for i in 0 ..< per { y.pointer[b * per + i] = k * x.pointer[b * per + i] + c }
        }
        return y
    }
}
