import Models
import Sampler

/// The generator stage's model and data settings (optimisation settings are `TrainingOptions`).
public struct GeneratorConfiguration: Sendable, Equatable {
    /// The generator family: the flow-matching MMDiT or the normalizing flow (`TransformerFlow`).
    public var family: GeneratorFamily = .diffusion
    public var target: GeneratorTarget = .latent
    /// MMDiT width, depth and heads.
    public var width = 128
    public var depth = 4
    public var heads = 4
    /// T5 text encoder d_model, layers and heads (d_ff = 2 * width, gated-GELU).
    public var textWidth = 128
    public var textLayers = 2
    public var textHeads = 4
    /// Text length (`TextBatchEncoder.maxTokens`, MMDiT max_text_tokens). 32 keeps 99.75% of
    /// the shapes-world captions whole (16 cut 22% of them, mostly object lists, teaching the
    /// model that a caption may leave out objects the image holds).
    public var textTokens = 32
    /// Learned text positions in the MMDiT's text stream (`MMDiTConfig.textPositions`). On by
    /// default: from scratch, the run with them led the run without from step 5000 on (validation
    /// loss 1-4% lower, ShapeBench 0.511 against 0.429 at step 10000; one pair of runs, and a
    /// second run with them did not reproduce the composition gain, see docs/experiments.md).
    public var textPositions = true
    /// Weight of the binding loss (a `TokenClassifier` head: the text encoder's output at an
    /// object's colour and shape words must name the object's colour-shape pair); 0: off.
    public var bindingWeight: Float = 0
    /// What the binding loss's labels say (`BindingLabelSet`).
    public var bindingLabels: BindingLabelSet = .colorShape
    /// Weight of the layout loss (`LayoutLabels`: each image token's last hidden state must name the
    /// colour-shape pair of the object it draws, or background), applied to the samples whose time
    /// is at most `layoutMaxTime` (at t near 1 the image says nothing about the layout); 0: off.
    public var layoutWeight: Float = 0
    public var layoutMaxTime: Float = 0.75
    /// The flow family: `depth` layers in the deep block, then this many shallow blocks of
    /// `flowShallowLayers` layers, trained on latents with Gaussian noise of `flowNoise`.
    public var flowShallowBlocks = 3
    public var flowShallowLayers = 1
    public var flowNoise: Double = 0.3
    /// The sampling temperature the flow's generation.json names (1: plain N(0, I)); it shapes the
    /// exported model, not training, so a resumed run may change it.
    public var flowTemperature: Double = 1
    /// Fraction of captions replaced by the empty prompt (classifier-free guidance dropout).
    public var textDropout: Float = 0.1
    /// Time shift a; nil: `FlowMatching.shift`'s rule for the target's size.
    public var shift: Double? = nil
    /// Validation images (the first ones of the validation split).
    public var validationImages = 512
    /// Images per batch when precomputing the targets.
    public var encodeBatchSize = 64

    public init() {}

    /// Throws `TrainingError(.invalidArgument)` for sizes the models cannot build.
    public func validate() throws {
        func fail(_ message: String) -> TrainingError { TrainingError(.invalidArgument, message) }
        guard width > 0, depth > 0, heads > 0 else { throw fail("--width, --depth and --heads must be positive") }
        guard width % heads == 0, (width / heads) % 4 == 0 else {
            throw fail("--width \(width) must split into --heads \(heads) heads of a multiple of 4 channels (2D RoPE)")
        }
        guard textWidth > 0, textLayers > 0, textHeads > 0 else { throw fail("--text-width, --text-layers and --text-heads must be positive") }
        guard textWidth % textHeads == 0 else { throw fail("--text-width \(textWidth) is not divisible by --text-heads \(textHeads)") }
        guard textTokens > 0 else { throw fail("--text-tokens must be positive, got \(textTokens)") }
        guard bindingWeight >= 0, bindingWeight.isFinite else { throw fail("--binding-loss must be 0 or more, got \(bindingWeight)") }
        guard layoutWeight >= 0, layoutWeight.isFinite else { throw fail("--layout-loss must be 0 or more, got \(layoutWeight)") }
        guard layoutMaxTime > 0, layoutMaxTime <= 1 else { throw fail("--layout-max-time must be in (0, 1], got \(layoutMaxTime)") }
        guard (0 ... 1).contains(textDropout) else { throw fail("--cfg-dropout must be in [0, 1], got \(textDropout)") }
        if let shift { guard shift > 0, shift.isFinite else { throw fail("--shift must be positive, got \(shift)") } }
        if family == .flow {
            guard flowShallowBlocks >= 0, flowShallowLayers > 0 else { throw fail("--flow-blocks must be 0 or more and --flow-shallow-layers positive") }
            guard flowNoise >= 0, flowNoise.isFinite else { throw fail("--flow-noise must be 0 or more, got \(flowNoise)") }
            guard FlowSamplerConfiguration.temperatures.contains(flowTemperature) else {
                throw fail("--flow-temperature must be in \(FlowSamplerConfiguration.temperatures), got \(flowTemperature)")
            }
            guard bindingWeight == 0, layoutWeight == 0 else {
                throw fail("the flow family trains without auxiliary losses (no --binding-loss or --layout-loss)")
            }
        }
        guard validationImages > 0, encodeBatchSize > 0 else { throw fail("validation and encoding batch sizes must be positive") }
    }

    /// The text encoder for a tokenizer with `vocabularySize` pieces.
    public func textEncoderConfig(vocabularySize: Int, padID: Int32?, eosID: Int32?) -> T5Config {
        var c = T5Config()
        c.vocabSize = vocabularySize
        c.dModel = textWidth
        c.dKV = textWidth / textHeads
        c.dFF = 2 * textWidth
        c.numLayers = textLayers
        c.numHeads = textHeads
        c.relativeAttentionNumBuckets = 32
        c.relativeAttentionMaxDistance = 128
        c.dropoutRate = 0
        c.feedForwardProj = "gated-gelu"
        c.padTokenId = padID.map(Int.init)
        c.eosTokenId = eosID.map(Int.init)
        return c
    }

    /// The MMDiT for `channels` values per token on a `grid` x `grid` token grid.
    public func generatorConfig(channels: Int, grid: Int) -> MMDiTConfig {
        MMDiTConfig(width: width, depth: depth, heads: heads, latentChannels: channels, gridHeight: grid, gridWidth: grid,
                    textWidth: textWidth, maxTextTokens: textTokens, textPositions: textPositions)
    }

    /// The normalizing flow for `channels` values per token on a `grid` x `grid` token grid.
    public func flowConfig(channels: Int, grid: Int) -> FlowConfig {
        var c = FlowConfig(latentChannels: channels, gridHeight: grid, gridWidth: grid, width: width, heads: heads,
                           deepLayers: depth, shallowBlocks: flowShallowBlocks, shallowLayers: flowShallowLayers,
                           textWidth: textWidth, maxTextTokens: textTokens)
        c.noiseScale = flowNoise
        return c
    }

    /// What a resumed run must agree with.
    var checkpointSettings: [String: String] {
        var settings = ["target": target.rawValue, "width": "\(width)", "depth": "\(depth)", "heads": "\(heads)",
                        "text_width": "\(textWidth)", "text_layers": "\(textLayers)", "text_heads": "\(textHeads)",
                        "text_tokens": "\(textTokens)", "cfg_dropout": "\(textDropout)"]
        // Only when set: checkpoints from before the option have no such key and resume with it off.
        if textPositions { settings[Self.textPositionsSetting] = "true" }
        if bindingWeight > 0 { settings["binding_weight"] = "\(bindingWeight)" }
        if bindingWeight > 0, bindingLabels != .colorShape { settings["binding_labels"] = bindingLabels.rawValue }
        if family == .flow {
            settings["family"] = family.rawValue
            settings["flow_shallow_blocks"] = "\(flowShallowBlocks)"
            settings["flow_shallow_layers"] = "\(flowShallowLayers)"
            settings["flow_noise"] = "\(flowNoise)"
        }
        if layoutWeight > 0 { settings["layout_weight"] = "\(layoutWeight)"; settings["layout_max_time"] = "\(layoutMaxTime)" }
        return settings
    }

    /// The checkpoint setting of `textPositions` (`TrainingError.setting` names it when a resumed run differs).
    public static let textPositionsSetting = "text_positions"
}
