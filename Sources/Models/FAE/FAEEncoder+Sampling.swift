import TensorEngine

extension FAEEncoder {
    /// Reparameterised sample z = mean + exp(0.5 logvar) * eps (B, N, d) of the last `forward`,
    /// eps ~ N(0, I) drawn from `rng` (seeded by the caller, so training runs reproduce). At
    /// inference use the posterior mean instead.
    public func sample(_ posterior: FAEPosterior, rng: inout RandomGenerator) -> Tensor {
        let m = posterior.mean
        let noise = noiseSlot.tensor(m.shape), std = stdSlot.tensor(m.shape), z = zSlot.tensor(m.shape)
        rng.fillNormal(noise)
        Ops.reparameterizeForward(mean: m, logvar: posterior.logvar, noise: noise, z: z, std: std)
        return z
    }

    /// Backward of `sample`: d mean = dz, d logvar = dz * eps * 0.5 * std, in encoder-owned buffers
    /// (overwritten). Add the KL gradient into them (e.g. `Ops.gaussianKLLoss(dMean:dLogvar:)`),
    /// then call `backward(dMean:dLogvar:)`.
    public func sampleBackward(_ dz: Tensor) -> (dMean: Tensor, dLogvar: Tensor) {
        let dMean = dMeanSlot.tensor(dz.shape), dLogvar = dLogvarSlot.tensor(dz.shape)
        Ops.reparameterizeBackward(dz: dz, noise: noiseSlot.tensor(dz.shape), std: stdSlot.tensor(dz.shape),
                                   dMean: dMean, dLogvar: dLogvar, accumulate: false)
        return (dMean, dLogvar)
    }

    /// Zeroed gradient buffers for the deterministic path (z = mean): fill d mean, add KL, backward.
    public func posteriorGradients(like posterior: FAEPosterior) -> (dMean: Tensor, dLogvar: Tensor) {
        (dMeanSlot.tensor(posterior.mean.shape, zeroed: true), dLogvarSlot.tensor(posterior.logvar.shape, zeroed: true))
    }
}
