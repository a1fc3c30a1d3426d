import ArgumentParser
import Dataset
import Evaluation
import Foundation
import TensorEngine

/// `eval flow`: bits per dimension of a normalizing-flow model folder on held-out images.
struct EvalFlowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "Bits per dimension of a normalizing-flow model on held-out images.",
        discussion: """
            Each image is encoded by the folder's FAE into what the flow generates (its target), \
            standardised, given the flow's training noise (a fixed seed) and scored given its caption: \
            the negative log-likelihood per dimension, in bits. The folder's generator must be a flow (train generator --family flow).
            """)

    @OptionGroup var model: ModelOption
    @Option(help: "Held-out dataset (data generate --split eval).") var data: String
    @Option(help: "Held-out images to use.") var images = 512
    @Flag(help: "Print machine-readable JSON.") var json = false
    @OptionGroup var threads: ThreadOption

    func validate() throws {
        guard images > 0 else { throw CLIError("--images must be positive") }
    }

    func run() throws {
        threads.apply()
        let directory = try model.directory()
        let likelihood: FlowLikelihood
        do { likelihood = try FlowLikelihood(directory: directory) } catch { throw CLIError("\(error)", cause: error) }
        let dataset: ImageDataset
        do {
            dataset = try ImageDataset.open(url: URL(fileURLWithPath: data), imageSize: likelihood.autoencoder.config.imageSize,
                                            threads: Engine.threads)
        } catch { throw CLIError("\(error)", cause: error) }
        let report = try likelihood.evaluate(dataset, images: images)
        if json { try JSONOutput.print(report); return }
        print(String(format: "flow %@ on %d held-out images: %.4f bits per dimension (%.4f nats, %d dimensions each, %.0f s)",
                     directory.path, report.images, report.bitsPerDimension, report.natsPerDimension, report.dimensions, report.seconds))
    }
}
