import ArgumentParser
import Foundation
import Models
import TensorEngine
import Training

struct ModelPackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "Copy trained parts into a model folder (default models/default), weights stored as F16.",
        discussion: "Example: fae-t2i model pack --from out/model-work/model --parts encoder,fae_encoder,feature_decoder,pixel_decoder")

    @Option(help: "Folder the parts were trained into (a training --out).") var from: String
    @OptionGroup var model: ModelOption
    @Option(help: "Comma-separated parts (sub-folders or files) to copy.")
    var parts = ModelLayout.allParts.joined(separator: ",")
    @Option(help: "Storage precision of the weights: f16, bf16 or f32.") var precision = "f16"

    func run() throws {
        guard let dtype = ["f16": SafetensorsDType.f16, "bf16": .bf16, "f32": .f32][precision.lowercased()] else {
            throw CLIError("--precision must be f16, bf16 or f32, got '\(precision)'")
        }
        let list = parts.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw CLIError("--parts is empty") }
        let destination = try model.directory()
        let bytes = try ModelPacking.pack(from: URL(fileURLWithPath: from), to: destination, parts: list, precision: dtype)
        print("packed \(list.joined(separator: ", ")) into \(destination.path) (\(String(format: "%.1f", Double(bytes) / 1_048_576)) MiB)")
    }
}
