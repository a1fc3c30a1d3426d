/// What a generator produces, per image token of the 8x8 grid (see docs/model-layout.md).
public enum GeneratorTarget: String, Codable, CaseIterable, Sendable {
    /// FAE latents (B, 64, d): the FAE posterior mean. Decode with the feature decoder, then the
    /// pixel decoder (`FAEAutoencoder.decode`).
    case latent
    /// The frozen encoder's patch tokens (B, 64, C) (CLS and registers dropped, as
    /// `FAEAutoencoder.features` gives them). Decode with the pixel decoder only.
    case features
    /// Raw pixel patches (B, 64, 3 * p * p), p = 8: token gy * 8 + gx holds the patch at
    /// rows gy*p..., columns gx*p..., laid out (channel, row, column), i.e.
    /// `tokens[b, gy*8 + gx, (c*p + py)*p + px] = image[b, c, gy*p + py, gx*p + px]`, values in [-1, 1].
    /// Decode with `Ops.unpatchifyForward(tokens, channels: 3, patch: 8, gridHeight: 8, gridWidth: 8, map:)`.
    case pixels
}
