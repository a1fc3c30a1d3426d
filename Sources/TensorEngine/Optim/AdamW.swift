import Foundation

/// AdamW with decoupled weight decay, matching `torch.optim.AdamW`:
///   p *= 1 - lr * wd;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
///   p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
/// Moment buffers are allocated once at construction; `step` allocates nothing.
public final class AdamW {
    public var learningRate: Float
    public var beta1: Float, beta2: Float, eps: Float, weightDecay: Float
    /// Updates taken so far (bias correction uses it); restored with the moments on resume.
    public var stepCount = 0

    private let params: [Parameter]
    private let decays: [Bool]
    private let m: [Tensor], v: [Tensor]

    /// `decay(name, parameter)` selects parameters that get weight decay; by default matrices and
    /// higher-rank tensors do, vectors (biases, norm weights, LayerScale) do not.
    public init(_ named: [(String, Parameter)], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                eps: Float = 1e-8, weightDecay: Float = 0.01,
                decay: (String, Parameter) -> Bool = { $1.shape.count >= 2 }) {
        let trainable = named.filter { !$0.1.frozen }
        params = trainable.map(\.1)
        decays = trainable.map { decay($0.0, $0.1) }
        m = params.map { Tensor(zeros: $0.shape) }
        v = params.map { Tensor(zeros: $0.shape) }
        self.learningRate = learningRate
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.weightDecay = weightDecay
    }

    /// One update with the accumulated gradients (which it leaves in place; call `zeroGrad`).
    public func step() {
        stepCount += 1
        let t = Float(stepCount)
        let bc1 = 1 - Foundation.pow(beta1, t), bc2 = 1 - Foundation.pow(beta2, t)
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = eps
        for (i, p) in params.enumerated() {
            let w = p.value.pointer, g = p.grad.pointer, mp = m[i].pointer, vp = v[i].pointer
            let shrink: Float = decays[i] ? 1 - lr * weightDecay : 1
            Parallel.chunks(p.value.count, minChunk: 8192) { range in
                for j in range {
                    let gj = g[j]
                    let mj = b1 * mp[j] + (1 - b1) * gj
                    let vj = b2 * vp[j] + (1 - b2) * gj * gj
                    mp[j] = mj; vp[j] = vj
                    w[j] = w[j] * shrink - lr * (mj / bc1) / ((vj / bc2).squareRoot() + eps)
                }
            }
        }
    }

    /// The first and second moment buffers, one pair per trainable parameter in construction
    /// order; a checkpoint saves and restores them in place.
    public var moments: [(m: Tensor, v: Tensor)] { Array(zip(m, v)).map { (m: $0.0, v: $0.1) } }

    public func zeroGrad() { for p in params { p.zeroGrad() } }
}
