import Models

/// What the pixel decoder reads in `train pixel-decoder`.
public enum PixelDecoderInput: String, CaseIterable, Sendable {
    /// The frozen encoder's features (stage Ia, noisy) and then the FAE's x_hat (stage II): the model.
    case features
    /// The image's own 8x8 patches, flattened per token: a diagnostic. It measures what the decoder
    /// architecture can draw when no information is lost before it, so that a gap to `features`
    /// points at the encoder. Written to its own folder so it never replaces the model's decoder.
    case pixels

    /// Folder name under `--out` for the trained decoder and under `runs/` for its run.
    public var folder: String {
        switch self {
        case .features: return ModelLayout.pixelDecoderFolder
        case .pixels: return "pixel_decoder_from_pixels"
        }
    }
}
