import ArgumentParser
import Evaluation
import FaeResources
import Foundation
import Generation
import ImageCodec
import Models
import Sampler
import ShapesWorld
import TextToImage

/// `eval shapebench`: renders every ShapeBench prompt K times with the model, judges each image with
/// the scene parser, prints per-category accuracy, the overall score (mean of the categories) and
/// FD: the Fréchet distance between the model's frozen encoder features (mean-pooled patch tokens)
/// of the generated images and of reference renders of the same prompts and seeds. `--source` judges
/// other images of the same prompts and seeds instead: the reference renders passed through the FAE
/// (what the chain after the generator can show at best) or the renders themselves (the judge's check).
struct EvalShapeBenchCommand: ParsableCommand {
    enum Source: String, ExpressibleByArgument, CaseIterable {
        case model, reconstructions, references
    }

    static let configuration = CommandConfiguration(
        commandName: "shapebench",
        abstract: "ShapeBench accuracy per category, overall, and FD to reference renders.")

    @OptionGroup var modelOption: ModelOption
    @Option(help: "What is judged: the model's images, reference renders passed through the model's FAE (the ceiling of the chain after the generator), or the reference renders themselves (a check of the judge).")
    var source: Source = .model
    @Option(help: "Images per prompt.") var samples: Int = 1
    @Option(help: "ShapeBench prompt file (default: prompts/eval/shapebench.jsonl).") var prompts: String?
    @Option(help: "Images per model pass.") var batch: Int = 16
    @Option(help: "Sampler steps.") var steps: Int = GenerationParameters.defaultSteps
    @Option(help: "CFG weight (1 = no guidance).") var guidance: Double = FlowSamplerConfiguration().guidanceScale
    @Option(help: "CFG applies only at times t <= this (1 = every step).") var guidanceMaxTime: Double = FlowSamplerConfiguration().guidanceMaxTime
    @Option(help: "Time shift of the sampling grid (default: the one the generator was trained with).") var shift: Double?
    @Option(help: "Sampler: \(SamplerMethod.names).") var sampler: String = SamplerMethod.euler.rawValue
    @Option(help: "A normalizing flow's sampling temperature, the scale of its noise (default: the model's generation.json, else 1).") var temperature: Double?
    @Option(help: "Seed of the first image; image k of prompt p uses seed + p * samples + k.") var seed: UInt64 = 0
    @Option(help: "Also save the images here (<prompt index>-<sample>.png).") var out: String?
    @Option(help: "Also write one JSON line per image here: the verdict and the objects the scene parser found.") var details: String?
    @OptionGroup var threadOption: ThreadOption
    @Flag(help: "Print machine-readable JSON (keys: overall, categories, failures, standard_error, fd, images, seconds).") var json = false

    func validate() throws {
        guard (1...1_000).contains(samples) else { throw CLIError("--samples must be between 1 and 1000, got \(samples)") }
        guard (1...256).contains(batch) else { throw CLIError("--batch must be between 1 and 256, got \(batch)") }
        guard GenerationParameters.stepsRange.contains(steps) else { throw CLIError("--steps must be between 1 and 1000, got \(steps)") }
        guard guidance.isFinite else { throw CLIError("--guidance must be a finite number") }
        guard (0...1).contains(guidanceMaxTime) else { throw CLIError("--guidance-max-time must be between 0 and 1, got \(guidanceMaxTime)") }
        if let shift, !(shift > 0 && shift.isFinite) { throw CLIError("--shift must be a positive number, got \(shift)") }
        if let temperature, !FlowSamplerConfiguration.temperatures.contains(temperature) {
            throw CLIError("--temperature must be in \(FlowSamplerConfiguration.temperatures), got \(temperature)")
        }
        guard SamplerMethod(rawValue: sampler) != nil else {
            throw CLIError("--sampler must be \(SamplerMethod.names), got '\(sampler)'")
        }
    }

    func run() throws {
        threadOption.apply()
        // Only the model's own images need the whole folder; the others load its encoder and FAE.
        let directory = source == .model ? try modelOption.completeDirectory(withEncoder: true, hint: ModelOption.trainHint)
                                         : try modelOption.directory()
        let promptsDirectory = try ResourceLocator.promptsDirectory()
        let promptFile = prompts.map { URL(fileURLWithPath: $0) } ?? promptsDirectory.appendingPathComponent(ShapeBench.relativePath)
        let world: ShapesWorld
        let benchPrompts: [ShapeBenchPrompt]
        do {
            world = try ShapesWorld(promptsDirectory: promptsDirectory)
            benchPrompts = try ShapeBench.load(file: promptFile)
        } catch let error as ShapesWorldError {
            throw CLIError(error.description, cause: error)
        }
        guard !benchPrompts.isEmpty else { throw CLIError("\(promptFile.path) holds no prompts") }
        let configuration = FlowSamplerConfiguration(steps: steps, method: SamplerMethod(rawValue: sampler)!,
                                                     guidanceScale: guidance, guidanceMaxTime: guidanceMaxTime, shift: shift,
                                                     temperature: temperature)
        let encoder: Dinov2Model, images: ShapeBenchEvaluator.ImageSource
        do {
            encoder = try Dinov2Model.load(directory: directory.appendingPathComponent(ModelLayout.encoderFolder))
            images = try imageSource(directory: directory, world: world, configuration: configuration)
        } catch {
            throw CLIError("cannot load the model at \(directory.path): \(error)", cause: error)
        }
        let outURL = out.map { URL(fileURLWithPath: $0, isDirectory: true) }
        if let outURL { try FileManager.default.createDirectory(at: outURL, withIntermediateDirectories: true) }
        let detailsURL = details.map { URL(fileURLWithPath: $0) }
        if let detailsURL {   // fail before rendering, not after, if the file cannot be written
            let folder = detailsURL.deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue,
                  FileManager.default.isWritableFile(atPath: folder) else {
                throw CLIError("cannot write --details file \(detailsURL.path): \(folder) is not a writable folder")
            }
        }
        var detailLines: [String] = []
        let lineEncoder = JSONEncoder()
        lineEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let evaluator = ShapeBenchEvaluator(world: world, features: ImageFeatureExtractor(encoder: encoder))
        let report = try evaluator.evaluate(
            prompts: benchPrompts, samples: samples, batch: batch, seed: seed,
            source: images,
            inspect: { image, verdict in
                if let outURL {
                    try PNG.encode(image).write(to: outURL.appendingPathComponent("\(verdict.promptIndex)-\(verdict.sample).png"),
                                                options: .atomic)
                }
                if detailsURL != nil { detailLines.append(String(decoding: try lineEncoder.encode(verdict), as: UTF8.self)) }
            },
            progress: json ? nil : { done, total in
                FileHandle.standardError.write(Data("\r\(done)/\(total) images".utf8))
                if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
            })
        if let detailsURL {
            try Data(detailLines.map { $0 + "\n" }.joined().utf8).write(to: detailsURL, options: .atomic)
        }
        if json {
            try JSONOutput.print(report)
            return
        }
        let judged = source == .model ? directory.lastPathComponent : "\(source.rawValue) (\(directory.lastPathComponent))"
        print("ShapeBench, \(judged): \(report.images) images (\(samples) per prompt), \(String(format: "%.1f", report.seconds)) s")
        for category in ShapeBenchCategory.allCases {
            guard let accuracy = report.score.accuracy(category) else { continue }
            let failures = (report.score.failures[category] ?? [:]).sorted { ($0.value, $1.key.rawValue) > ($1.value, $0.key.rawValue) }
            let why = failures.isEmpty ? "" : "   failed: " + failures.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
            print("  " + category.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%.3f", accuracy) + why)
        }
        print("  " + "overall".padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: "%.3f", report.overall)
              + String(format: "   (standard error %.3f, images counted as independent draws)", report.standardError))
        print("  FD (mean-pooled encoder patch tokens vs reference renders): " + (report.fd.map { String(format: "%.4f", $0) } ?? "n/a"))
    }

    /// The images `--source` names.
    private func imageSource(directory: URL, world: ShapesWorld,
                             configuration: FlowSamplerConfiguration) throws -> ShapeBenchEvaluator.ImageSource {
        switch source {
        case .model: return ShapeBenchImageSources.model(try TextToImagePipeline(directory: directory), configuration: configuration)
        case .references: return ShapeBenchImageSources.references(world)
        case .reconstructions: return ShapeBenchImageSources.reconstructions(try FAEAutoencoder(directory: directory), world: world)
        }
    }
}
