/// Which kind of generator a model folder's `generator/` holds (its config.json's model_type):
/// the flow-matching MMDiT ("mmdit") or the normalizing flow ("tarflow").
public enum GeneratorFamily: String, CaseIterable, Codable, Sendable {
    /// Diffusion by flow matching: an MMDiT integrated from noise by an ODE sampler.
    case diffusion
    /// A normalizing flow: noise mapped to latents by the inverse of an exact likelihood model.
    case flow
}
