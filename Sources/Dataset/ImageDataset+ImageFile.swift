import Foundation
import ImageCodec

extension ImageDataset {
    /// Reads one JPEG or PNG file the way the dataset reads its images (bounded size, told apart by
    /// its first bytes) and resizes it to side x side (the model's input), with errors that name
    /// the file.
    public static func loadImage(_ url: URL, side: Int) throws -> RGBImage {
        guard side > 0 else { throw DatasetError(.invalidArgument, "image side must be positive, got \(side)") }
        do {
            let image = try ImageFileDecoder.decode(ImageFileDecoder.read(url), side: side)
            return image.width == side && image.height == side ? image : try ImageResizer.resize(image, toSquare: side)
        } catch let error as DatasetError {
            throw DatasetError(error.code, "cannot read image \(url.path): \(error.message)")
        }
    }
}
