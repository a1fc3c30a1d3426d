import ArgumentParser
import Dataset
import Evaluation
import FaeResources
import Foundation
import Models
import ShapesWorld
import TensorEngine
import Training

struct EvalFAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fae",
        abstract: "Reconstruction PSNR, feature cosine, linear probes and ShapeBench on reconstructions.",
        discussion: """
        --data is the held-out split (`data generate --split eval`); --probe-data is where the probes \
        are trained (default: a training split). The probes predict the shape and the colour of the \
        object in the centre cell from the tokens over it (mean of the two accuracies).
        """)

    @OptionGroup var model: ModelOption
    @Option(help: "Held-out dataset (with scene descriptions).") var data: String
    @Option(name: .customLong("probe-data"), help: "Dataset the probes are trained on.") var probeData: String
    @Option(help: "Held-out images to use.") var images = 2000
    @Option(name: .customLong("probe-images"), help: "Images to train the probes on.") var probeImages = 4000
    @Option(help: "Seed of the reference renders of the ShapeBench prompts.") var seed: UInt64 = 0
    @Option(help: "ShapeBench prompt file (default: prompts/eval/shapebench.jsonl).") var prompts: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var threads: ThreadOption

    func validate() throws {
        guard images > 0, probeImages > 0 else { throw CLIError("--images and --probe-images must be positive") }
    }

    func run() throws {
        threads.apply()
        let directory = try model.directory()
        let autoencoder = try model.autoencoder()
        let promptsDirectory = try ResourceLocator.promptsDirectory()
        let world = try ShapesWorld(promptsDirectory: promptsDirectory)
        let benchPrompts: [ShapeBenchPrompt]
        if let prompts {
            benchPrompts = try ShapeBench.load(file: URL(fileURLWithPath: prompts))
        } else {
            benchPrompts = try ShapeBench.load(from: promptsDirectory)
        }
        let side = autoencoder.config.imageSize
        let evaluation: ImageDataset, probeTraining: ImageDataset
        do {
            evaluation = try ImageDataset.open(url: URL(fileURLWithPath: data), imageSize: side, threads: Engine.threads)
            probeTraining = try ImageDataset.open(url: URL(fileURLWithPath: probeData), imageSize: side, threads: Engine.threads)
        } catch { throw CLIError("\(error)", cause: error) }
        var evaluationRun = FAEEvaluation(model: autoencoder, world: world, prompts: benchPrompts, evaluation: evaluation, probeTraining: probeTraining)
        evaluationRun.evaluationImages = images
        evaluationRun.probeTrainingImages = probeImages
        evaluationRun.seed = seed
        let report = try evaluationRun.run(log: { FileHandle.standardError.write(Data("eval fae: \($0)\n".utf8)) })
        if json { try JSONOutput.print(report); return }
        let f = { (x: Float) in String(format: "%.4f", x) }
        print("""
        FAE \(directory.path) on \(report.images) held-out images (\(String(format: "%.0f", report.seconds)) s)
          PSNR                  \(String(format: "%.2f", report.psnrDB)) dB   (target >= 32)
          feature cosine        \(f(report.featureCosine))     (target >= 0.95)
          probe, encoder        \(f(report.probeAccEncoder))  (shape \(f(report.probeDetail["shape_encoder"] ?? 0)), colour \(f(report.probeDetail["color_encoder"] ?? 0)))
          probe, x_hat          \(f(report.probeAccFAE))  (shape \(f(report.probeDetail["shape_fae"] ?? 0)), colour \(f(report.probeDetail["color_fae"] ?? 0)))
          probe ratio           \(f(report.probeRatio))     (target >= 0.95)
          ShapeBench on recon   \(String(format: "%.3f", report.reconShapeBench))      (target >= 0.90)
        """)
        for (name, accuracy) in report.reconShapeBenchCategories.sorted(by: { $0.key < $1.key }) {
            print("    \(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%.3f", accuracy))")
        }
    }
}
