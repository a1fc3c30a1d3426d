import Dataset
import Evaluation
import Foundation
import Models
import Sampler
import ShapesWorld
import TensorEngine
import TestSupport
import Testing
import Tokenizer
@testable import Training

/// A tiny FAE folder, tiny datasets and the committed tokenizer, made once for the suites.
struct GeneratorFixture {
    let root: URL, fae: URL, train: URL, validation: URL, tokenizerFile: URL
    let grammar: ShapesGrammar

    static let shared: GeneratorFixture = {
        do { return try GeneratorFixture() } catch { fatalError("cannot build the generator fixture: \(error)") }
    }()

    init() throws {
        root = try TestPaths.temporaryDirectory("generator")
        fae = root.appendingPathComponent("fae")
        try TinyFAE.save(to: fae)
        grammar = try ShapesGrammar.load(from: TestPaths.repositoryRoot.appendingPathComponent("prompts"))
        var generator = DatasetGenerator(grammar: grammar)
        generator.threads = 2
        train = root.appendingPathComponent("train")
        validation = root.appendingPathComponent("val")
        try generator.generate(count: 48, seed: 3, split: .train, into: train)
        try generator.generate(count: 16, seed: 3, split: .eval, into: validation)
        tokenizerFile = TestPaths.repositoryRoot.appendingPathComponent("models/default/spiece.model")
    }

    func trainer(directory: URL, steps: Int, batchSize: Int = 8, resume: Bool = false, width: Int = 32, depth: Int = 1,
                 textTokens: Int = 8, textPositions: Bool = false, bindingWeight: Float = 0, layoutWeight: Float = 0, learningRate: Float = 3e-3,
                 initialWeights: GeneratorInitialWeights? = nil, replicas: Int = 1) throws -> GeneratorTrainer {
        var configuration = GeneratorConfiguration()
        configuration.width = width; configuration.depth = depth; configuration.heads = 2
        configuration.textWidth = 16; configuration.textLayers = 1; configuration.textHeads = 2
        configuration.textTokens = textTokens
        configuration.textPositions = textPositions
        configuration.validationImages = 16
        configuration.bindingWeight = bindingWeight
        configuration.layoutWeight = layoutWeight
        configuration.layoutMaxTime = 0.9
        var options = TrainingOptions(steps: steps, batchSize: batchSize, learningRate: learningRate, warmupSteps: 2)
        options.emaDecay = 0.9
        options.validationInterval = 10
        options.logInterval = 5
        let inputs = GeneratorInputs(train: try ImageDataset.open(url: train, threads: 2),
                                     validation: try ImageDataset.open(url: validation, threads: 2),
                                     fae: try FAEAutoencoder(directory: fae), tokenizer: try SentencePieceTokenizer(modelFile: tokenizerFile),
                                     grammar: grammar, initialWeights: initialWeights, cacheKey: "test-fae")
        return try GeneratorTrainer(configuration: configuration, options: options, inputs: inputs, directory: directory,
                                    resume: resume, threads: 2, replicas: replicas)
    }

    /// How two generators' outputs differ on the same random inputs (a padded token in each
    /// sample); nil when they agree to float rounding.
    static func outputDifference(_ a: MMDiT, _ b: MMDiT) throws -> String? {
        let cfg = a.config
        var rng = RandomGenerator(seed: 9)
        let x = Tensor(zeros: [2, cfg.imageTokens, cfg.latentChannels]), text = Tensor(zeros: [2, 3, cfg.textWidth])
        rng.fillNormal(x, std: 1); rng.fillNormal(text, std: 1)
        let timesteps = try Tensor(shape: [2], values: [0.3, 0.8]), mask = try Tensor(shape: [2, 3], values: [1, 1, 0, 1, 1, 0])
        let expected = try a.forward(x, timesteps: timesteps, text: text, textMask: mask).values
        let got = try b.forward(x, timesteps: timesteps, text: text, textMask: mask).values
        return Tolerance.compare(got, expected, rtol: 1e-5, atol: 1e-6)
    }

    /// A model folder holding the export of a 3-step run (a source for `--init-from`).
    func trainAndExport(into directory: URL, depth: Int = 1, textPositions: Bool = false) throws {
        let run = try trainer(directory: directory, steps: 3, batchSize: 4, depth: depth, textPositions: textPositions)
        try run.train()
        try run.export(to: directory, tokenizerFile: tokenizerFile)
    }
}

@Suite(.serialized) struct GeneratorTrainingTests {
    @Test func lossFallsAndTheExportLoads() throws {
        let fixture = GeneratorFixture.shared
        let run = try TestPaths.temporaryDirectory("generator-run")
        defer { try? FileManager.default.removeItem(at: run) }
        let trainer = try fixture.trainer(directory: run, steps: 30)
        try trainer.train()
        let losses = trainer.losses
        #expect(losses.count == 30)
        let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
        #expect(last < first, "loss \(first) -> \(last)")
        try trainer.export(to: run, tokenizerFile: fixture.tokenizerFile)

        let mmdit = try MMDiT.load(directory: run.appendingPathComponent("generator"))
        #expect(mmdit.config.latentChannels == 4 && mmdit.config.maxTextTokens == 8 && mmdit.config.textWidth == 16)
        let t5 = try T5Encoder.load(directory: run.appendingPathComponent("text_encoder"))
        #expect(t5.config.dModel == 16 && t5.config.vocabSize == trainer.textBatchEncoder.tokenizer.vocabularySize)
        let statistics = try LatentStatistics.load(directory: run.appendingPathComponent("generator"))
        #expect(statistics.channels == 4)
        let settings = try GenerationSettings.load(directory: run.appendingPathComponent("generator"))
        #expect(settings == GenerationSettings(target: .latent, maxTextTokens: 8, shift: (16.0 * 4 / 4096).squareRoot()))
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("spiece.model").path))
        let log = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").filter { $0.contains("val_loss") }.count == 3)
    }

    @Test func shapeBenchIsLoggedWithTheEMAWeightsAndTheLiveOnesComeBack() throws {
        let fixture = GeneratorFixture.shared
        let run = try TestPaths.temporaryDirectory("generator-shapebench")
        defer { try? FileManager.default.removeItem(at: run) }
        let trainer = try fixture.trainer(directory: run, steps: 4, batchSize: 4)
        let prompts = TestPaths.repositoryRoot.appendingPathComponent("prompts")
        let bench = try GeneratorShapeBench(trainer: trainer, tokenizer: trainer.textBatchEncoder.tokenizer,
                                            fae: FAEAutoencoder(directory: fixture.fae), world: ShapesWorld(promptsDirectory: prompts),
                                            prompts: Array(ShapeBench.load(from: prompts).prefix(3)))
        bench.configuration.steps = 2
        let ema = try #require(trainer.run.ema)
        var seenDuringValidation: [[Float]] = []
        trainer.sampleValidation = {
            seenDuringValidation = trainer.run.parameters.map(\.1.value.values)
            return try bench.figures()
        }
        try trainer.train()
        // The pass saw the averaged weights; afterwards the live weights are back in the models.
        #expect(seenDuringValidation == ema.shadows.map(\.values))
        #expect(seenDuringValidation != trainer.run.parameters.map(\.1.value.values))
        let log = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
        let validation = try #require(log.split(separator: "\n").last { $0.contains("val_loss") })
        #expect(validation.contains("\"val_shapebench\"") && validation.contains("\"val_shapebench_single\""), "\(validation)")
    }

    @Test func resumingGivesTheSameWeightsAsOneRun() throws {
        // Bit-identical only if the thread count, and so every reduction order, stays the same.
        try EngineThreadSetting.exclusively { try resumeAndCompare() }
    }

    func resumeAndCompare() throws {
        let fixture = GeneratorFixture.shared
        let straightRun = try TestPaths.temporaryDirectory("generator-straight")
        let splitRun = try TestPaths.temporaryDirectory("generator-split")
        defer { try? FileManager.default.removeItem(at: straightRun); try? FileManager.default.removeItem(at: splitRun) }
        let straight = try fixture.trainer(directory: straightRun, steps: 6, batchSize: 4)
        try straight.train()
        let first = try fixture.trainer(directory: splitRun, steps: 6, batchSize: 4)
        #expect(throws: TrainingError.self) { try first.train(stopAfter: 3) }
        let second = try fixture.trainer(directory: splitRun, steps: 6, batchSize: 4, resume: true)
        #expect(second.run.state.step == 3)
        // The resumed run read its targets from the cache the first one wrote.
        #expect(FileManager.default.fileExists(atPath: splitRun.appendingPathComponent("targets-latent.bin").path))
        #expect(FileManager.default.fileExists(atPath: splitRun.appendingPathComponent("targets-latent-val.bin").path))
        try second.train()
        for ((key, a), (_, b)) in zip(straight.run.parameters, second.run.parameters) {
            #expect(a.value.values == b.value.values, "\(key) differs after resuming")
        }
    }

    /// Without auxiliary losses, and with the binding and layout losses.
    @Test(arguments: [Float(0), 0.5]) func dataParallelStepsMatchTheOneModelSteps(auxiliaryWeight: Float) throws {
        let bindingWeight = auxiliaryWeight, layoutWeight = auxiliaryWeight
        let fixture = GeneratorFixture.shared
        let oneRun = try TestPaths.temporaryDirectory("generator-one-model")
        let twoRun = try TestPaths.temporaryDirectory("generator-two-models")
        defer { try? FileManager.default.removeItem(at: oneRun); try? FileManager.default.removeItem(at: twoRun) }
        // An odd batch splits into unequal shards (2 and 3 rows); positions add a shared parameter.
        let one = try fixture.trainer(directory: oneRun, steps: 3, batchSize: 5, textPositions: true, bindingWeight: bindingWeight,
                                      layoutWeight: layoutWeight)
        let two = try fixture.trainer(directory: twoRun, steps: 3, batchSize: 5, textPositions: true, bindingWeight: bindingWeight,
                                      layoutWeight: layoutWeight, replicas: 2)
        try one.train()
        try two.train()
        for (a, b) in zip(one.losses, two.losses) { #expect(abs(a - b) <= 1e-4 * a, "\(one.losses) against \(two.losses)") }
        // The gradients of the next step at the same weights (after three steps every parameter has
        // left adaLN-Zero's zero start, so every one gets a gradient).
        for ((_, a), (_, b)) in zip(one.run.parameters, two.run.parameters) {
            b.value.copy(from: a.value)
            a.zeroGrad()
            b.zeroGrad()
        }
        let lossOne = try one.step(3), lossTwo = try two.step(3)
        #expect(abs(lossOne - lossTwo) <= 1e-6 * lossOne, "\(lossOne) against \(lossTwo)")
        let bindingOne = one.dataParallel.bindingTally, bindingTwo = two.dataParallel.bindingTally
        #expect(bindingOne.count == bindingTwo.count && (bindingOne.count > 0) == (bindingWeight > 0))
        #expect(abs(bindingOne.lossSum - bindingTwo.lossSum) <= 1e-5 * bindingOne.lossSum)
        let layoutOne = one.dataParallel.layoutTally, layoutTwo = two.dataParallel.layoutTally
        #expect(layoutOne.count == layoutTwo.count && (layoutOne.count > 0) == (layoutWeight > 0))
        #expect(abs(layoutOne.lossSum - layoutTwo.lossSum) <= 1e-5 * layoutOne.lossSum)
        // The second copy did its share (its gradients are its own rows', not yet the sum).
        let second = try #require(two.dataParallel.replicas.last)
        #expect(two.dataParallel.replicas.count == 2 && second.parameters.contains { $0.grad.values.contains { $0 != 0 } })
        for ((key, a), (_, b)) in zip(one.run.parameters, two.run.parameters) {
            #expect(a.grad.values.contains { $0 != 0 }, "\(key) got no gradient")
            let difference = Tolerance.compare(b.grad.values, a.grad.values, rtol: 1e-4, atol: 1e-7)
            #expect(difference == nil, "\(key): \(difference ?? "")")
        }
    }

    @Test func moreReplicasThanThreadsIsRefused() throws {
        let fixture = GeneratorFixture.shared
        let run = try TestPaths.temporaryDirectory("generator-replicas")
        defer { try? FileManager.default.removeItem(at: run) }
        #expect(throws: TrainingError.self) { _ = try fixture.trainer(directory: run, steps: 2, replicas: 3) }
        #expect(throws: TrainingError.self) { _ = try fixture.trainer(directory: run, steps: 2, replicas: 0) }
    }

    @Test func initFromStartsAtTheExportedWeightsEvenWithLongerText() throws {
        let fixture = GeneratorFixture.shared
        let source = try TestPaths.temporaryDirectory("generator-init-source")
        let run = try TestPaths.temporaryDirectory("generator-init-run")
        let wider = try TestPaths.temporaryDirectory("generator-init-wider")
        defer { for url in [source, run, wider] { try? FileManager.default.removeItem(at: url) } }
        try fixture.trainAndExport(into: source)
        let exported = try MMDiT.load(directory: source.appendingPathComponent("generator")).namedParameters(prefix: "mmdit.")
            + T5Encoder.load(directory: source.appendingPathComponent("text_encoder")).namedParameters(prefix: "t5.")

        let second = try fixture.trainer(directory: run, steps: 3, batchSize: 4, textTokens: 12,
                                         initialWeights: try GeneratorInitialWeights(directory: source))
        #expect(second.mmdit.config.maxTextTokens == 12)
        #expect(exported.map(\.0) == second.run.parameters.map(\.0))
        for ((key, a), (_, b)) in zip(exported, second.run.parameters) {
            #expect(a.value.values == b.value.values, "\(key) does not start at the exported weights")
        }
        try second.train()
        let finite = second.losses.allSatisfy { $0.isFinite }
        #expect(finite && second.losses.count == 3)

        // Another architecture is refused, naming what differs.
        do {
            _ = try fixture.trainer(directory: wider, steps: 1, batchSize: 4, width: 48,
                                    initialWeights: try GeneratorInitialWeights(directory: source))
            Issue.record("a 48-wide run started from a 32-wide generator")
        } catch let error as TrainingError {
            #expect(error.message.contains("width 32 (this run: 48)"), "\(error.message)")
        }
    }

    /// A deeper run from a shallower export inserts identity blocks before the last one, so it starts
    /// as the same function; then the new blocks train.
    @Test func initFromADeeperRunStartsAsTheStoredGenerator() throws {
        let fixture = GeneratorFixture.shared
        let source = try TestPaths.temporaryDirectory("generator-grow-source")
        let run = try TestPaths.temporaryDirectory("generator-grow-run")
        let shallower = try TestPaths.temporaryDirectory("generator-grow-shallower")
        defer { for url in [source, run, shallower] { try? FileManager.default.removeItem(at: url) } }
        try fixture.trainAndExport(into: source, depth: 2)
        let stored = try MMDiT.load(directory: source.appendingPathComponent("generator"))

        let grown = try fixture.trainer(directory: run, steps: 3, batchSize: 4, depth: 4,
                                        initialWeights: try GeneratorInitialWeights(directory: source))
        #expect(grown.mmdit.blocks.count == 4)
        #expect(try GeneratorFixture.outputDifference(stored, grown.mmdit) == nil)
        // The stored blocks were trained (their modulation is not zero), the inserted ones are the identity.
        #expect(grown.mmdit.blocks[3].image.modulation.weight.value.values.contains { $0 != 0 })
        #expect(grown.mmdit.blocks[1].image.modulation.weight.value.values.allSatisfy { $0 == 0 })

        let before = grown.mmdit.blocks[1].image.modulation.weight.value.values
        try grown.train()
        #expect(grown.mmdit.blocks[1].image.modulation.weight.value.values != before, "the inserted blocks do not train")

        // A shallower run cannot hold the stored blocks.
        do {
            _ = try fixture.trainer(directory: shallower, steps: 1, batchSize: 4, depth: 1,
                                    initialWeights: try GeneratorInitialWeights(directory: source))
            Issue.record("a 1-block run started from a 2-block generator")
        } catch let error as TrainingError {
            #expect(error.message.contains("depth 2 (this run: 1)"), "\(error.message)")
        }
    }

    /// Text positions added to a generator without them start at zero (the same function), then
    /// train; stored positions fix the text length.
    @Test func initFromAddsTextPositionsThatStartAtZero() throws {
        let fixture = GeneratorFixture.shared
        let source = try TestPaths.temporaryDirectory("generator-positions-source")
        let run = try TestPaths.temporaryDirectory("generator-positions-run")
        let withPositions = try TestPaths.temporaryDirectory("generator-positions-stored")
        let refused = try TestPaths.temporaryDirectory("generator-positions-refused")
        defer { for url in [source, run, withPositions, refused] { try? FileManager.default.removeItem(at: url) } }
        try fixture.trainAndExport(into: source)
        let stored = try MMDiT.load(directory: source.appendingPathComponent("generator"))
        #expect(stored.textPositionEmbedding == nil)

        let second = try fixture.trainer(directory: run, steps: 3, batchSize: 4, textTokens: 12, textPositions: true,
                                         initialWeights: try GeneratorInitialWeights(directory: source))
        let positions = try #require(second.mmdit.textPositionEmbedding)
        #expect(positions.shape == [12, 32] && positions.value.values.allSatisfy { $0 == 0 })
        #expect(try GeneratorFixture.outputDifference(stored, second.mmdit) == nil)
        try second.train()
        #expect(positions.value.values.contains { $0 != 0 }, "the text positions do not train")
        try second.export(to: run, tokenizerFile: fixture.tokenizerFile)
        // Export puts the EMA weights into the model, so `positions` now holds what was written.
        let exported = try MMDiT.load(directory: run.appendingPathComponent("generator"))
        #expect(exported.config.textPositions && exported.textPositionEmbedding?.value.values == positions.value.values)

        // Stored positions fix the text length and cannot be dropped.
        try fixture.trainAndExport(into: withPositions, textPositions: true)
        for (tokens, hasPositions, difference) in [(12, true, "max_text_tokens 8 (this run: 12)"), (8, false, "text_positions true (this run: false)")] {
            do {
                _ = try fixture.trainer(directory: refused, steps: 1, batchSize: 4, textTokens: tokens, textPositions: hasPositions,
                                        initialWeights: try GeneratorInitialWeights(directory: withPositions))
                Issue.record("a run with \(tokens) tokens, positions \(hasPositions) started from a generator with 8 positions")
            } catch let error as TrainingError {
                #expect(error.message.contains(difference), "\(error.message)")
            }
        }
    }

    @Test func pixelTargetsArePatchesThatUnpatchifyBack() throws {
        let fixture = GeneratorFixture.shared
        let dataset = try ImageDataset.open(url: fixture.validation, threads: 2)
        let encoder = GeneratorTargetEncoder(fae: try FAEAutoencoder(directory: fixture.fae), target: .pixels)
        let p = 16, grid = 4
        #expect(encoder.channels == 3 * p * p && encoder.tokens == grid * grid)
        let targets = try encoder.encodeAll(dataset, indices: [0, 1, 2], threads: 1)
        let images = Tensor(zeros: [3, 3, 64, 64])
        try dataset.loadImages(indices: [0, 1, 2], into: images.buffer, threads: 1)
        // Token (gy, gx) = (1, 2), channel 1, row 3, column 5 of the patch.
        #expect(targets[0, 1 * grid + 2, (1 * p + 3) * p + 5] == images[0, 1, p + 3, 2 * p + 5])
        let back = Tensor(zeros: [3, 3, 64, 64])
        Ops.unpatchifyForward(targets, channels: 3, patch: p, gridHeight: grid, gridWidth: grid, map: back)
        #expect(back.values == images.values)
    }

    @Test func targetsFromTheFeatureCacheMatchTargetsFromTheImages() throws {
        let fixture = GeneratorFixture.shared
        let dataset = try ImageDataset.open(url: fixture.train, threads: 2)
        let fae = try FAEAutoencoder(directory: fixture.fae)
        let cache = try FeatureCache.build(encoder: fae.encoder, dataset: dataset, fingerprint: "test", batchSize: 16, log: { _ in })
        for target in [GeneratorTarget.latent, .features] {
            let encoder = GeneratorTargetEncoder(fae: fae, target: target)
            let fromImages = try encoder.encodeAll(dataset, indices: Array(0 ..< dataset.count), threads: 2)
            let fromCache = try #require(try encoder.encodeAll(features: cache, batchSize: 20))  // a short last batch
            #expect(fromCache.shape == fromImages.shape)
            let largest = zip(fromCache.values, fromImages.values).map { abs($0 - $1) }.max() ?? .infinity
            #expect(largest < 1e-4, "\(target) targets differ by \(largest)")
        }
        #expect(try GeneratorTargetEncoder(fae: fae, target: .pixels).encodeAll(features: cache) == nil)
    }
}

@Suite struct TrainGeneratorCommandTests {
    @Test func aFAEFolderMissingAPartIsAOneLineError() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let fixture = GeneratorFixture.shared
        let partial = try TestPaths.temporaryDirectory("generator-partial-fae")
        defer { try? FileManager.default.removeItem(at: partial) }
        try FileManager.default.copyItem(at: fixture.fae.appendingPathComponent("encoder"), to: partial.appendingPathComponent("encoder"))
        let output = try runner.run(["train", "generator", "--data", fixture.train.path, "--val-data", fixture.validation.path,
                                     "--fae", partial.path, "--out", partial.appendingPathComponent("run").path])
        #expect(output.status != 0)
        #expect(output.stderr.contains("lacks fae_encoder/, feature_decoder/, pixel_decoder/"), "\(output.stderr)")
        #expect(output.stderr.split(separator: "\n").count == 1)

        let missing = try runner.run(["train", "generator", "--data", "/nonexistent/data", "--val-data", fixture.validation.path,
                                      "--fae", fixture.fae.path, "--out", partial.appendingPathComponent("run").path])
        #expect(missing.status != 0 && missing.stderr.contains("--data") && missing.stderr.contains("/nonexistent/data"))
        let heads = try runner.run(["train", "generator", "--data", fixture.train.path, "--val-data", fixture.validation.path,
                                    "--fae", fixture.fae.path, "--out", partial.appendingPathComponent("run").path,
                                    "--text-width", "30", "--text-heads", "4"])
        #expect(heads.status != 0 && heads.stderr.contains("--text-width 30 is not divisible by --text-heads 4"), "\(heads.stderr)")
        let binding = try runner.run(["train", "generator", "--data", fixture.train.path, "--val-data", fixture.validation.path,
                                      "--fae", fixture.fae.path, "--out", partial.appendingPathComponent("run").path, "--binding-loss=-0.5"])
        #expect(binding.status != 0 && binding.stderr.contains("--binding-loss must be 0 or more, got -0.5"), "\(binding.stderr)")
        let layout = try runner.run(["train", "generator", "--data", fixture.train.path, "--val-data", fixture.validation.path,
                                     "--fae", fixture.fae.path, "--out", partial.appendingPathComponent("run").path, "--layout-max-time", "0"])
        #expect(layout.status != 0 && layout.stderr.contains("--layout-max-time must be in (0, 1], got 0.0"), "\(layout.stderr)")
        let initFrom = try runner.run(["train", "generator", "--data", fixture.train.path, "--val-data", fixture.validation.path,
                                       "--fae", fixture.fae.path, "--out", partial.appendingPathComponent("run").path,
                                       "--init-from", "/nonexistent/model"])
        #expect(initFrom.status != 0 && initFrom.stderr.contains("--init-from /nonexistent/model: /nonexistent/model/generator is not a model directory"),
                "\(initFrom.stderr)")
    }
}

extension TrainGeneratorCommandTests {
    @Test func trainsDataParallelWithTextPositionsByDefaultAndWithoutWhenAsked() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let fixture = GeneratorFixture.shared
        let root = try TestPaths.temporaryDirectory("generator-cli")
        defer { try? FileManager.default.removeItem(at: root) }
        let tiny = ["--width", "32", "--depth", "1", "--heads", "2", "--text-width", "16", "--text-layers", "1", "--text-heads", "2",
                    "--text-tokens", "8", "--batch-size", "5", "--steps", "2", "--val-every", "0", "--no-val-shapebench", "--threads", "2"]
        func train(_ out: URL, _ flags: [String]) throws -> CommandRunner.Output {
            try runner.run(["train", "generator", "--data", fixture.train.path, "--val-data", fixture.validation.path,
                            "--fae", fixture.fae.path, "--out", out.path] + tiny + flags)
        }
        for (name, flags) in [("default", [String]()), ("split", ["--no-data-parallel", "--no-text-positions"])] {
            let out = root.appendingPathComponent(name)
            let output = try train(out, flags)
            #expect(output.status == 0, "\(output.stderr)")
            #expect(output.stderr.contains("data-parallel, 2 model copies") == flags.isEmpty, "\(output.stderr)")
            let exported = try HuggingFaceCheckpoint(directory: out.appendingPathComponent("generator")).config(MMDiTConfig.self)
            #expect(exported.textPositions == flags.isEmpty)
        }
        // The binding loss labels the captions with the shipped grammar (here with the scene labels).
        let binding = try train(root.appendingPathComponent("binding"), ["--binding-loss", "0.5", "--binding-labels", "scene", "--layout-loss", "0.5"])
        #expect(binding.status == 0 && binding.stderr.contains("binding loss (scene, 765 classes): "), "\(binding.stderr)")
        #expect(binding.stderr.contains(" of 48 captions labelled by the grammar's parse"), "\(binding.stderr)")
        #expect(binding.stderr.contains("layout loss: every image token of the 48 training scenes labelled"), "\(binding.stderr)")
        // A run without positions resumes only with the flag it was made with, and the error says so.
        let split = root.appendingPathComponent("split")
        let refused = try train(split, ["--steps", "3", "--resume"])
        #expect(refused.status != 0 && refused.stderr.contains("text_positions") && refused.stderr.contains("--no-text-positions"),
                "\(refused.stderr)")
        let resumed = try train(split, ["--steps", "3", "--resume", "--no-text-positions", "--no-data-parallel"])
        #expect(resumed.status == 0 && resumed.stderr.contains("resumed at step 2/3"), "\(resumed.stderr)")
    }
}

@Suite struct BenchTrainCommandTests {
    @Test func bothModesRunAndComputeTheSameGradient() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let output = try runner.run(["bench", "train", "--rounds", "1", "--batch-size", "3", "--text-tokens", "6", "--threads", "2", "--json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let split = try #require(json["samples_per_second_split_ops"] as? Double)
        let parallel = try #require(json["samples_per_second_data_parallel"] as? Double)
        #expect(split > 0 && parallel > 0 && json["threads"] as? Int == 2)
        #expect(abs((json["speedup"] as? Double ?? 0) - parallel / split) < 1e-9)
        #expect((json["gradient_difference"] as? Double ?? 1) < 1e-5, "\(output.stdout)")

        let rounds = try runner.run(["bench", "train", "--rounds", "0"])
        #expect(rounds.status != 0 && rounds.stderr.contains("--rounds must be between 1 and 100, got 0"), "\(rounds.stderr)")
    }
}

@Suite struct TextBatchEncoderTests {
    let tokenizer: SentencePieceTokenizer

    init() throws {
        tokenizer = try SentencePieceTokenizer(modelFile: TestPaths.repositoryRoot.appendingPathComponent("models/default/spiece.model"))
    }

    @Test func padsWithAMaskAndEndsWithEOS() throws {
        let encoder = try TextBatchEncoder(tokenizer: tokenizer, maxTokens: 16)
        let pieces = tokenizer.encode("a red circle")
        let eos = try #require(tokenizer.eosID), pad = try #require(tokenizer.padID)
        let (ids, mask) = encoder.encode(["a red circle", "a blue square on the left"])
        #expect(ids.count == 32 && mask.count == 32)
        #expect(Array(ids[0 ..< pieces.count + 1]) == pieces + [eos])
        #expect(ids[(pieces.count + 1) ..< 16].allSatisfy { $0 == pad })
        #expect(Array(mask[0 ..< 16]) == [Int32](repeating: 1, count: pieces.count + 1) + [Int32](repeating: 0, count: 15 - pieces.count))
        // Agrees with the tokenizer's own T5 model input for texts that fit.
        let reference = try tokenizer.encode("a blue square on the left", maxLength: 16)
        #expect(Array(ids[16...]) == reference.ids && Array(mask[16...]) == reference.attentionMask)
    }

    @Test func truncatesKeepingEOS() throws {
        let encoder = try TextBatchEncoder(tokenizer: tokenizer, maxTokens: 4)
        let text = "a big red circle above a small blue square"
        let row = encoder.encodeRow(text)
        #expect(row.truncated)
        #expect(row.ids == Array(tokenizer.encode(text).prefix(3)) + [tokenizer.eosID!])
        #expect(row.mask == [1, 1, 1, 1])
        #expect(!encoder.encodeRow("a").truncated)
    }

    @Test func padsToTheLongestRowOnly() throws {
        let encoder = try TextBatchEncoder(tokenizer: tokenizer, maxTokens: 16)
        let texts = ["a red circle", "a blue square on the left", ""]
        let full = encoder.encode(texts)
        let trimmed = encoder.encodeToLongest(texts)
        let length = tokenizer.encode("a blue square on the left").count + 1
        #expect(trimmed.length == length && trimmed.ids.count == 3 * length && trimmed.mask.count == 3 * length)
        for r in 0 ..< texts.count {
            #expect(Array(trimmed.ids[r * length ..< (r + 1) * length]) == Array(full.ids[r * 16 ..< r * 16 + length]))
            #expect(Array(trimmed.mask[r * length ..< (r + 1) * length]) == Array(full.mask[r * 16 ..< r * 16 + length]))
        }
        let short = try TextBatchEncoder(tokenizer: tokenizer, maxTokens: 4)
        #expect(short.encodeToLongest(["a big red circle above a small blue square"]).length == 4)
        #expect(short.encodeToLongest([TextBatchEncoder.emptyPrompt]).length == 1)
    }

    @Test func emptyPromptIsEOSThenPadding() throws {
        let encoder = try TextBatchEncoder(tokenizer: tokenizer, maxTokens: 6)
        let empty = encoder.emptyRow
        #expect(empty.ids == [tokenizer.eosID!] + [Int32](repeating: tokenizer.padID!, count: 5))
        #expect(empty.mask == [1, 0, 0, 0, 0, 0])
        #expect(encoder.encode([TextBatchEncoder.emptyPrompt]).ids == empty.ids)
        #expect(throws: TokenizerError.self) { try TextBatchEncoder(tokenizer: tokenizer, maxTokens: 0) }
    }
}
