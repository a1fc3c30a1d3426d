import Testing
import TestSupport
@testable import TensorEngine

/// All engine tests run serially: ops share engine-wide scratch memory and the global thread count,
/// and the engine runs one step at a time per process by design.
@Suite(.serialized) struct EngineTests {}

func randomTensor(_ shape: [Int], seed: UInt64, std: Float = 1, mean: Float = 0) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    let t = Tensor(zeros: shape)
    rng.fillNormal(t, mean: mean, std: std)
    return t
}

/// Finite-difference check of an op or layer: `forward()` recomputes the output from the current
/// input values; `backward(dy)` accumulates gradients into `grads` (one per entry of `inputs`).
/// The loss is sum(r * y) with a fixed random r.
func checkGradients(inputs: [Tensor], grads: [Tensor], eps: Float = 1e-2, rtol: Double = 2e-2, atol: Double = 2e-3,
                    forward: () -> Tensor, backward: (Tensor) -> Void) -> [String] {
    let y0 = forward()
    let r = randomTensor(y0.shape, seed: 4242)
    for g in grads { g.zero() }
    _ = forward()
    backward(r)
    let analytic = grads.map(\.values)
    return GradientCheck.check(inputs.map(\.buffer), analytic: analytic, eps: eps, rtol: rtol, atol: atol) {
        let y = forward()
        var s = 0.0
        for i in 0..<y.count { s += Double(y.pointer[i]) * Double(r.pointer[i]) }
        return s
    }
}

/// Runs `body` once with 1 thread and once with 2, restoring the previous setting.
func withThreads(_ counts: [Int] = [1, 2], _ body: (Int) throws -> Void) rethrows {
    try EngineThreadSetting.exclusively {
        let saved = Engine.threads
        defer { Engine.threads = saved }
        for n in counts { Engine.threads = n; try body(n) }
    }
}
