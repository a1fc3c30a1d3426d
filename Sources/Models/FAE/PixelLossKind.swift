/// Pixel reconstruction loss of the pixel decoder (the paper's perceptual and GAN terms are out of
/// reach at this scale; fae-paper.md's assumption is L1 or L2).
public enum PixelLossKind: String, Codable, Sendable, CaseIterable {
    case l1
    case mse
}
