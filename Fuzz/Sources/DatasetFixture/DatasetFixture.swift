import Dataset
import Foundation
import FuzzSupport
import ImageCodec
import ShapesWorld

/// A real generated dataset folder (4 samples of the repository's grammar in one raw shard, as
/// `fae-t2i data generate --count 4` writes it) plus a small PNG and JPEG that captions may name.
/// A fuzz input replaces `dataset.json` or `captions.jsonl`; the other file stays the generated one.
public enum DatasetFixture {
    public static let imageSize = 64
    public static let folder = FuzzPaths.scratch.appendingPathComponent("dataset", isDirectory: true)

    static let manifestURL = folder.appendingPathComponent(ImageDataset.manifestFileName)
    static let indexURL = folder.appendingPathComponent(ImageDataset.indexFileName)

    /// The generated `dataset.json` and `captions.jsonl`.
    static let pristine: (manifest: Data, index: Data) = FuzzSetup.require("generate the dataset fixture") {
        let grammar = try ShapesGrammar.load(from: FuzzPaths.repository("prompts"))
        var generator = DatasetGenerator(grammar: grammar)
        generator.threads = 1
        _ = try generator.generate(count: 4, seed: 0, split: .train, into: folder)
        // Odd sizes, so that opening them crops and resizes.
        var image = RGBImage(width: 20, height: 12, filledWith: RGBColor(200, 30, 60))
        image.withUnsafeMutablePixels { pixels in
            for offset in stride(from: 0, to: pixels.count, by: 7) { pixels[offset] = 255 }
        }
        try PNG.encode(image).write(to: folder.appendingPathComponent("tiny.png"))
        try JPEG.encode(image, quality: 80).write(to: folder.appendingPathComponent("tiny.jpg"))
        return (try Data(contentsOf: manifestURL), try Data(contentsOf: indexURL))
    }

    /// Opens the folder with `image` as the one image file its `captions.jsonl` names: decoded by
    /// content (JPEG or PNG) and center-cropped and resized to the model's size, as user images are.
    public static func open(image: Data) {
        _ = pristine  // makes the folder
        FuzzPaths.write(image, to: folder.appendingPathComponent("input.img"))
        open(index: Data(#"{"file": "input.img", "caption": "an image"}"#.utf8))
    }

    /// Opens the folder with `manifest` as its `dataset.json` and `index` as its `captions.jsonl`
    /// (nil: the generated one) and reads everything a training run reads from it.
    public static func open(manifest: Data? = nil, index: Data? = nil) {
        let files = pristine
        FuzzPaths.write(manifest ?? files.manifest, to: manifestURL)
        FuzzPaths.write(index ?? files.index, to: indexURL)
        guard let dataset = try? ImageDataset.open(url: folder, imageSize: imageSize, threads: 1) else { return }
        var checksum: UInt8 = 0
        for position in 0..<dataset.count {
            _ = dataset.caption(at: position)
            _ = dataset.file(at: position)
            let pixels = dataset.pixels(at: position)
            precondition(pixels.count == dataset.bytesPerImage, "image \(position) has \(pixels.count) bytes")
            if let first = pixels.first, let last = pixels.last { checksum &+= first &+ last }
            // The layout loss and the FAE probes place each object of a generated scene.
            if let scene = try? dataset.scene(at: position) {
                for object in scene.objects { _ = scene.boundingBox(of: object) }
            }
        }
        var batch = [Float](repeating: 0, count: dataset.count * 3 * imageSize * imageSize)
        batch.withUnsafeMutableBufferPointer { buffer in
            _ = try? dataset.loadImages(indices: Array(0..<dataset.count), into: buffer, threads: 1)
        }
        _ = checksum
    }
}
