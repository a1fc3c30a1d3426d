import ArgumentParser
import Dataset
import Evaluation
import Foundation
import ImageCodec
import Models
import TensorEngine
import Training

struct ReconstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconstruct",
        abstract: "Pass an image through the FAE: encoder -> latent -> feature decoder -> pixel decoder.",
        discussion: "Any JPEG or PNG is resized to the model's size (64x64). The output format follows --out's extension (.png or .jpg).")

    @Argument(help: "Input image (JPEG or PNG).") var image: String
    @OptionGroup var model: ModelOption
    @Option(help: "Output image (.png or .jpg).") var out: String
    @OptionGroup var threads: ThreadOption

    func validate() throws {
        let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
        guard ["png", "jpg", "jpeg"].contains(ext) else { throw CLIError("--out must end in .png, .jpg or .jpeg, got '\(out)'") }
    }

    func run() throws {
        threads.apply()
        let autoencoder = try model.autoencoder(hint: "train it with `make model-fae`")
        let side = autoencoder.config.imageSize
        let input: RGBImage
        do { input = try ImageDataset.loadImage(URL(fileURLWithPath: image), side: side) } catch { throw CLIError("\(error)", cause: error) }
        let batch = Tensor(zeros: [1, 3, side, side])
        try PixelNormalization.planes(of: [input], into: batch.buffer)
        let output = try autoencoder.reconstruct(batch)
        let result = try PixelNormalization.image(fromCHW: UnsafeBufferPointer(output.buffer), side: side)
        let url = URL(fileURLWithPath: out)
        let data = url.pathExtension.lowercased() == "png" ? try PNG.encode(result) : try JPEG.encode(result, quality: 95)
        do { try data.write(to: url) } catch { throw CLIError("cannot write \(out): \(error.localizedDescription)", cause: error) }
        let psnr = FeatureMetrics.meanPSNR(output, batch)
        print("\(out): reconstruction of \(image) (\(side)x\(side)), PSNR \(String(format: "%.2f", psnr)) dB")
    }
}
