import ArgumentParser
import Foundation
import Models
import Training

struct TrainEncoderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encoder",
        abstract: "Stage 1: self-supervised pretraining of the DINOv2-architecture visual encoder (masked image modelling).",
        discussion: """
        Images only: a random part of the patches is replaced by the mask token and a linear head \
        predicts every patch's pixels (masked ones from context, visible ones from their own token). \
        Writes <out>/encoder/ in the Hugging Face Dinov2Model layout. To use an existing DINOv2 \
        checkpoint instead, skip this stage and pass it as --encoder to `train fae`. \(defaults.help)
        """)

    static let defaults = StageDefaults(steps: 2000, batchSize: 64, lr: 5e-4, warmup: 200)

    @OptionGroup var training: TrainingArguments
    @OptionGroup var threads: ThreadOption

    @Option(help: "Encoder width.") var width = 192
    @Option(help: "Encoder blocks.") var depth = 4
    @Option(help: "Attention heads.") var heads = 3
    @Option(help: "Patch size in pixels (8: an 8x8 token grid at 64x64).") var patch = 8
    @Option(name: .customLong("image-size"), help: "Image side in pixels.") var imageSize = 64
    @Option(name: .customLong("mask-ratio"), help: "Fraction of patches masked per image.") var maskRatio = 0.5
    @Option(name: .customLong("visible-weight"), help: "Weight of the visible patches' pixel loss.") var visibleWeight: Float = 1

    func validate() throws {
        for (name, value) in [("--width", width), ("--depth", depth), ("--heads", heads), ("--patch", patch), ("--image-size", imageSize)] where value <= 0 {
            throw CLIError("\(name) must be positive, got \(value)")
        }
        guard width % heads == 0 else { throw CLIError("--width \(width) must be a multiple of --heads \(heads)") }
        guard imageSize % patch == 0 else { throw CLIError("--image-size \(imageSize) must be a multiple of --patch \(patch)") }
        guard maskRatio >= 0, maskRatio < 1 else { throw CLIError("--mask-ratio must be in [0, 1), got \(maskRatio)") }
        guard visibleWeight >= 0 else { throw CLIError("--visible-weight must not be negative") }
    }

    func run() throws {
        threads.apply()
        var config = EncoderPretraining.shapesConfig
        config.hiddenSize = width
        config.numHiddenLayers = depth
        config.numAttentionHeads = heads
        config.patchSize = SpatialSize(square: patch)
        config.imageSize = SpatialSize(square: imageSize)
        var stage = EncoderPretraining(config: config,
                                       options: training.options(Self.defaults),
                                       data: training.stageData)
        stage.maskRatio = maskRatio
        stage.visibleWeight = visibleWeight
        let out = try TrainingStop.reported { try stage.run() }
        print("encoder: \(out.path)")
    }
}
