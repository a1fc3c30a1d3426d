import ImageCodec

/// The images of one request, and how much of its texts the model did not read.
public struct GeneratedImages: Sendable, Equatable {
    /// One image per seed, in seed order.
    public var images: [RGBImage]
    /// Text tokens (with `</s>`) of the prompt and of the negative prompt beyond the model's text
    /// length: cut before encoding, 0 when a text fits.
    public var promptTokensCut: Int
    public var negativePromptTokensCut: Int
    /// The model's text length (`generation.json`'s `max_text_tokens`).
    public var maxTextTokens: Int

    public init(images: [RGBImage], promptTokensCut: Int, negativePromptTokensCut: Int, maxTextTokens: Int) {
        self.images = images
        self.promptTokensCut = promptTokensCut
        self.negativePromptTokensCut = negativePromptTokensCut
        self.maxTextTokens = maxTextTokens
    }

    /// What to tell the user when the model read only the start of the prompt or negative prompt;
    /// nil when both fit.
    public var truncationWarning: String? {
        let cut = [("prompt", promptTokensCut), ("negative prompt", negativePromptTokensCut)]
            .filter { $0.1 > 0 }
            .map { "the last \($0.1) of the \($0.0) are ignored" }
        guard !cut.isEmpty else { return nil }
        return "the model reads \(maxTextTokens) text tokens; " + cut.joined(separator: ", ")
    }
}
