import Sampler
import TensorEngine

/// Validation images with noise and times drawn once from a fixed seed, so the loss is comparable
/// across steps (and runs): x_t and the target velocity are stored.
struct FixedValidationSet {
    static let seed: UInt64 = 0x5EED_7A11_DA7A
    /// (count, N, C) each; timesteps (count).
    let targets: Tensor, xt: Tensor, velocity: Tensor, timesteps: Tensor
    /// The captions' rows (count, T).
    let ids: [Int32], mask: [Int32]

    init(targets: Tensor, ids: [Int32], mask: [Int32], shift: Double) {
        self.targets = targets
        self.ids = ids
        self.mask = mask
        var rng = RandomGenerator(seed: Self.seed)
        let noise = Tensor(zeros: targets.shape)
        rng.fillNormal(noise)
        timesteps = Tensor(zeros: [targets.dim(0)])
        FlowMatching.sampleTimesteps(into: timesteps, shift: shift, rng: &rng)
        xt = Tensor(zeros: targets.shape)
        velocity = Tensor(zeros: targets.shape)
        FlowMatching.interpolate(latents: targets, noise: noise, timesteps: timesteps, xt: xt, target: velocity)
    }
}
