import ArgumentParser
import Foundation
import Generation
import ImageCodec
import Worker

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a prompt straight to a JPEG file, without the queue.")

    @Argument(help: "What to draw.") var prompt: String
    @Option(help: "Output JPEG file (.jpg or .jpeg).") var out: String
    @Option(help: "Seed (default: random; printed).") var seed: Int64?
    @Option(help: "Renderer: \(RendererKind.allCases.map(\.rawValue).joined(separator: ", ")) (model: the --model folder).")
    var renderer: RendererKind = .model
    @OptionGroup var modelOption: ModelOption
    @OptionGroup var threadOption: ThreadOption
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        // The image and its metadata are written as JPEG; a .png name would hide that.
        guard ["jpg", "jpeg"].contains(URL(fileURLWithPath: out).pathExtension.lowercased()) else {
            throw ValidationError("--out must end in .jpg or .jpeg (render writes JPEG), got '\(out)'")
        }
    }

    /// The request as typed, validated; without `--seed` the seed is drawn here.
    func parameters() throws -> GenerationParameters {
        do {
            return try GenerationParameters.resolve(prompt: prompt, seed: seed)
        } catch let error as GenerationError {
            throw CLIError(error.message, cause: error)
        }
    }

    func run() throws {
        // Validated before the model is loaded.
        let parameters = try parameters()
        threadOption.apply()
        let imageRenderer = try renderer.make(model: modelOption)
        let seed = parameters.seeds[0]
        let started = Date()
        let rendered = try imageRenderer.render(parameters, progress: { _, _ in })
        if let warning = rendered.warning {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        guard let image = rendered.images.first else {
            throw CLIError("renderer returned no image")
        }
        let metadata = ImageMetadata(job: nil, parameters: parameters, seed: seed, model: imageRenderer.modelID,
                                     weightsHash: imageRenderer.weightsHash)
        let jpeg = try JPEG.encode(image, quality: 95, comment: metadata.json())
        do {
            try jpeg.write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CLIError("cannot write \(out): \(error.localizedDescription)", cause: error)
        }
        let seconds = Date().timeIntervalSince(started)
        if json {
            struct Rendered: Encodable { let path: String; let seed: Int64; let model: String; let seconds: Double }
            try JSONOutput.print(Rendered(path: out, seed: seed, model: imageRenderer.modelID, seconds: seconds))
        } else {
            print("\(out) (seed \(seed), \(imageRenderer.modelID), \(String(format: "%.3f", seconds)) s)")
        }
    }
}
