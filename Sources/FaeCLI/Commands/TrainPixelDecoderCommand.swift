import ArgumentParser
import Evaluation
import FaeResources
import Foundation
import Models
import ShapesWorld
import Training

struct TrainPixelDecoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pixel-decoder",
        abstract: "Stage 3: the pixel decoder, first on noisy encoder features (Ia), then on the FAE's reconstructions (II).",
        discussion: "Writes <out>/pixel_decoder/. Stage II reads <out>/fae_encoder/ and <out>/feature_decoder/ (or --fae DIR). \(defaults.help)")

    static let defaults = StageDefaults(steps: 4000, batchSize: 32, lr: 1e-3, warmup: 100)

    @OptionGroup var training: TrainingArguments
    @OptionGroup var threads: ThreadOption

    @OptionGroup var frozenEncoder: FrozenEncoderArguments
    @Option(help: "Folder with fae_encoder/ and feature_decoder/ for stage II (default: <out>).") var fae: String?
    @Option(name: .customLong("noisy-steps"), help: "Steps of stage Ia (noisy encoder features); the rest are stage II (default: 3/4 of --steps).") var noisySteps: Int?
    @Option(name: .customLong("noise-scale"), help: "Largest stage-Ia noise, as a fraction of the features' RMS.") var noiseScale: Float = 0.2
    @Option(name: .customLong("object-weight"), help: "Loss weight of object pixels (background pixels weigh 1).") var objectWeight: Float = 4
    @Option(help: "Pixel loss: l1 or mse.") var loss: PixelLossKind = .l1
    @Option(help: "Decoder width (default: the FAE config's).") var width: Int?
    @Option(help: "Decoder blocks (default: the FAE config's).") var depth: Int?
    @Option(name: .customLong("map-channels"), help: "Channels of the 64x64 map the convolutions read.") var mapChannels: Int?
    @Option(help: "What the decoder reads: features (the model), or pixels (a diagnostic: the image's own patches, the decoder's ceiling; written to <out>/pixel_decoder_from_pixels/).")
    var input: PixelDecoderInput = .features

    func validate() throws {
        if let noisySteps, noisySteps < 0 { throw CLIError("--noisy-steps must not be negative") }
        guard noiseScale >= 0, objectWeight > 0 else { throw CLIError("--noise-scale must not be negative and --object-weight must be positive") }
        for (name, value) in [("--width", width), ("--depth", depth), ("--map-channels", mapChannels)] {
            if let value, value <= 0 { throw CLIError("\(name) must be positive, got \(value)") }
        }
    }

    func run() throws {
        threads.apply()
        let data = training.stageData
        let options = training.options(Self.defaults)
        let faeDirectory = fae.map { URL(fileURLWithPath: $0) } ?? data.out
        let stageII = FileManager.default.fileExists(atPath: faeDirectory.appendingPathComponent(ModelLayout.faeEncoderFolder).path)
        var stage = PixelDecoderTraining(options: options, data: data,
                                         encoderDirectory: frozenEncoder.encoderDirectory(data),
                                         faeDirectory: stageII || fae != nil ? faeDirectory : nil,
                                         featureCache: frozenEncoder.featureCacheFile(data),
                                         noisySteps: noisySteps ?? options.steps * 3 / 4)
        stage.noiseScale = noiseScale
        stage.objectWeight = objectWeight
        stage.loss = loss
        stage.width = width
        stage.depth = depth
        stage.mapChannels = mapChannels
        stage.input = input
        let promptsDirectory = try ResourceLocator.promptsDirectory()
        stage.shapeBench = try ReconstructionShapeBench(world: ShapesWorld(promptsDirectory: promptsDirectory),
                                                        prompts: ShapeBench.load(from: promptsDirectory), side: 64, seed: 0)
        try TrainingStop.reported { try stage.run() }
        print("pixel decoder: \(data.out.appendingPathComponent(input.folder).path)")
    }
}

extension PixelLossKind: ExpressibleByArgument {}
extension PixelDecoderInput: ExpressibleByArgument {}
