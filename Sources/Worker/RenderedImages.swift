import ImageCodec

/// What a renderer made of a request: one image per seed, and a note for the user (e.g. a prompt
/// longer than the model reads), or nil.
public struct RenderedImages: Sendable, Equatable {
    public var images: [RGBImage]
    public var warning: String?

    public init(images: [RGBImage], warning: String? = nil) {
        self.images = images
        self.warning = warning
    }
}
