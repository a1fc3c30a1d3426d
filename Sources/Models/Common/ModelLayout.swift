import Foundation

/// The one definition of a model folder's layout (docs/model-layout.md): the tokenizer at the top,
/// one sub-folder per part, each a Hugging Face-style checkpoint (`config.json` +
/// `model.safetensors`), and the generator's sampling files beside its checkpoint. Training writes
/// this layout, packing copies it, and loading, caching and the worker's weights hash read it.
public enum ModelLayout {
    /// SentencePiece unigram model, at the folder's top.
    public static let tokenizerFile = "spiece.model"

    /// Frozen visual encoder (Hugging Face DINOv2 layout).
    public static let encoderFolder = "encoder"
    /// One-attention-layer FAE encoder.
    public static let faeEncoderFolder = "fae_encoder"
    /// Latent -> encoder features.
    public static let featureDecoderFolder = "feature_decoder"
    /// Features -> pixels.
    public static let pixelDecoderFolder = "pixel_decoder"
    /// T5 encoder (Hugging Face T5EncoderModel layout).
    public static let textEncoderFolder = "text_encoder"
    /// MMDiT (EMA weights) with its latent statistics and generation settings.
    public static let generatorFolder = "generator"

    /// The FAE's four image parts, in the order the chain runs them.
    public static let faeFolders = [encoderFolder, faeEncoderFolder, featureDecoderFolder, pixelDecoderFolder]

    /// Everything a complete model folder holds at its top: the parts `model pack` copies by default.
    public static let allParts = faeFolders + [textEncoderFolder, generatorFolder, tokenizerFile]

    /// Each part folder's configuration and weights, as `save_pretrained` writes them.
    public static let configFile = "config.json"
    public static let weightsFile = "model.safetensors"
    /// A part folder is complete with both of these.
    public static let partFiles = [configFile, weightsFile]

    /// In `generator/`: the per-channel statistics the generator's targets were standardised with,
    /// and what sampling must agree with training (target, text length, time shift).
    public static let latentStatisticsFile = "latent_statistics.json"
    public static let generationSettingsFile = "generation.json"

    /// `directory/part/model.safetensors`.
    public static func weights(of part: String, in directory: URL) -> URL {
        directory.appendingPathComponent(part).appendingPathComponent(weightsFile)
    }

    /// `directory/part/config.json`.
    public static func config(of part: String, in directory: URL) -> URL {
        directory.appendingPathComponent(part).appendingPathComponent(configFile)
    }
}
