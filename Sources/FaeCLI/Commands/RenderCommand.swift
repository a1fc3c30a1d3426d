import ArgumentParser
import Foundation
import ImageCodec
import JobQueue
import Worker

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render", abstract: "Render a prompt straight to a JPEG file, without the queue.")

    @Argument(help: "What to draw.") var prompt: String
    @Option(help: "Output JPEG file.") var out: String
    @Option(help: "Seed (default: random; printed).") var seed: Int64?
    @Option(help: "Renderer: \(RendererKind.allCases.map(\.rawValue).joined(separator: ", ")) (model: the --model folder).")
    var renderer: RendererKind = .model
    @OptionGroup var modelOption: ModelOption
    @OptionGroup var threadOption: ThreadOption
    @Flag(help: "Print machine-readable JSON.") var json = false

    func validate() throws {
        do {
            try JobRequest(prompt: prompt, seed: seed).validate()
        } catch let error as QueueError {
            throw CLIError(error.message)
        }
    }

    func run() throws {
        threadOption.apply()
        let imageRenderer = try renderer.make(model: modelOption)
        let seed = self.seed ?? Int64.random(in: 0...Int64(UInt32.max))
        let request = RenderRequest(prompt: prompt, seeds: [seed])
        if let warning = imageRenderer.warning(for: request) {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        let started = Date()
        guard let image = try imageRenderer.render(request, progress: { _, _ in }).first else {
            throw CLIError("renderer returned no image")
        }
        let metadata = ImageMetadata(job: nil, prompt: prompt, negativePrompt: "", seed: seed, steps: request.steps,
                                     guidance: request.guidance, sampler: request.sampler, model: imageRenderer.modelID,
                                     weightsHash: imageRenderer.weightsHash)
        let jpeg = try JPEG.encode(image, quality: 95, comment: metadata.json())
        do {
            try jpeg.write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw CLIError("cannot write \(out): \(error.localizedDescription)")
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
