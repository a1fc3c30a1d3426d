import Dataset
import Foundation
import Models
import Sampler
import ShapesWorld
import TensorEngine
import Testing
import TestSupport
import TextToImage
import Tokenizer
@testable import Training

/// The flow family of `train generator` on the tiny FAE and dataset of `GeneratorFixture`.
@Suite(.serialized) struct FlowTrainingTests {
    func trainer(directory: URL, steps: Int, resume: Bool = false, target: GeneratorTarget = .latent) throws -> FlowTrainer {
        let fixture = GeneratorFixture.shared
        var configuration = GeneratorConfiguration()
        configuration.family = .flow
        configuration.target = target
        configuration.width = 32; configuration.depth = 2; configuration.heads = 2
        configuration.flowShallowBlocks = 1; configuration.flowShallowLayers = 1
        configuration.textWidth = 16; configuration.textLayers = 1; configuration.textHeads = 2
        configuration.textTokens = 8
        configuration.validationImages = 16
        var options = TrainingOptions(steps: steps, batchSize: 8, learningRate: 3e-3, warmupSteps: 2)
        options.emaDecay = 0.9
        options.validationInterval = 10
        options.logInterval = 5
        let inputs = GeneratorInputs(train: try ImageDataset.open(url: fixture.train, threads: 2),
                                     validation: try ImageDataset.open(url: fixture.validation, threads: 2),
                                     fae: try FAEAutoencoder(directory: fixture.fae),
                                     tokenizer: try SentencePieceTokenizer(modelFile: fixture.tokenizerFile), cacheKey: "test-fae")
        return try FlowTrainer(configuration: configuration, options: options, inputs: inputs, directory: directory,
                               resume: resume, threads: 2)
    }

    @Test func likelihoodRisesAndTheExportLoads() throws {
        let run = try TestPaths.temporaryDirectory("flow-run")
        defer { try? FileManager.default.removeItem(at: run) }
        let trainer = try trainer(directory: run, steps: 30)
        try trainer.train()
        let losses = trainer.losses
        let first = losses.prefix(5).reduce(0, +) / 5, last = losses.suffix(5).reduce(0, +) / 5
        #expect(last < first, "negative log-likelihood \(first) -> \(last)")
        try trainer.export(to: run, tokenizerFile: GeneratorFixture.shared.tokenizerFile)
        let flow = try TransformerFlow.load(directory: run.appendingPathComponent("generator"))
        #expect(flow.config.latentChannels == 4 && flow.config.deepLayers == 2 && flow.config.shallowBlocks == 1)
        #expect(flow.config.noiseScale == 0.3 && flow.config.textWidth == 16)
        #expect(try LatentStatistics.load(directory: run.appendingPathComponent("generator")).channels == 4)
        #expect(try GenerationSettings.load(directory: run.appendingPathComponent("generator")).temperature == nil)
        _ = try T5Encoder.load(directory: run.appendingPathComponent("text_encoder"))
        let log = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8)
        let validations = log.split(separator: "\n").filter { $0.contains("val_bits_per_dim") }
        #expect(validations.count == 3, "\(log)")
    }

    /// The paper's comparison trains the flow on the encoder's features and on pixels too.
    @Test(arguments: [GeneratorTarget.features, .pixels])
    func trainsOnEveryTarget(target: GeneratorTarget) throws {
        let run = try TestPaths.temporaryDirectory("flow-\(target.rawValue)")
        defer { try? FileManager.default.removeItem(at: run) }
        let trainer = try trainer(directory: run, steps: 4, target: target)
        try trainer.train()
        let losses = trainer.losses
        #expect(losses.count == 4 && losses.allSatisfy(\.isFinite), "\(losses)")
        try trainer.export(to: run, tokenizerFile: GeneratorFixture.shared.tokenizerFile)
        let channels = try FAEAutoencoder(directory: GeneratorFixture.shared.fae).channels(of: target)
        let flow = try TransformerFlow.load(directory: run.appendingPathComponent("generator"))
        #expect(flow.config.latentChannels == channels && channels > 4)
        #expect(try LatentStatistics.load(directory: run.appendingPathComponent("generator")).channels == channels)
    }

    @Test func resumingGivesTheSameWeightsAsOneRun() throws {
        try EngineThreadSetting.exclusively {
            let straightRun = try TestPaths.temporaryDirectory("flow-straight")
            let splitRun = try TestPaths.temporaryDirectory("flow-split")
            defer { try? FileManager.default.removeItem(at: straightRun); try? FileManager.default.removeItem(at: splitRun) }
            let straight = try trainer(directory: straightRun, steps: 6)
            try straight.train()
            let first = try trainer(directory: splitRun, steps: 6)
            #expect(throws: TrainingError.self) { try first.train(stopAfter: 3) }
            let second = try trainer(directory: splitRun, steps: 6, resume: true)
            #expect(second.run.state.step == 3)
            try second.train()
            for ((key, a), (_, b)) in zip(straight.run.parameters, second.run.parameters) {
                #expect(a.value.values == b.value.values, "\(key) differs after resuming")
            }
        }
    }

    @Test func theFlowRefusesWhatItCannotTrain() throws {
        var configuration = GeneratorConfiguration()
        configuration.family = .flow
        configuration.bindingWeight = 0.1
        #expect(throws: TrainingError.self) { try configuration.validate() }
        configuration.bindingWeight = 0
        configuration.flowNoise = -1
        #expect(throws: TrainingError.self) { try configuration.validate() }
        configuration.flowNoise = 0.3
        configuration.flowTemperature = 0.8
        try configuration.validate()
        configuration.flowTemperature = 0
        #expect(throws: TrainingError.self) { try configuration.validate() }
    }
}

extension TrainGeneratorCommandTests {
    /// `train generator --family flow` into a folder with the FAE parts, then `render` and `eval
    /// shapebench` from it: the folder's generator says it is a flow and every command uses it.
    @Test func trainsAFlowThatRendersAndIsJudged() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let fixture = GeneratorFixture.shared
        let root = try TestPaths.temporaryDirectory("flow-cli")
        defer { try? FileManager.default.removeItem(at: root) }
        let model = root.appendingPathComponent("model")
        try FileManager.default.copyItem(at: fixture.fae, to: model)
        let trained = try runner.run(["train", "generator", "--family", "flow", "--data", fixture.train.path, "--val-data", fixture.validation.path,
                                      "--out", model.path, "--width", "32", "--depth", "1", "--heads", "2", "--flow-blocks", "1",
                                      "--text-width", "16", "--text-layers", "1", "--text-heads", "2", "--text-tokens", "8",
                                      "--batch-size", "5", "--steps", "2", "--val-every", "0", "--no-val-shapebench", "--flow-temperature", "0.8",
                                      "--threads", "2"])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("generator: normalizing flow"), "\(trained.stderr)")
        #expect(try GenerationSettings.load(directory: model.appendingPathComponent(ModelLayout.generatorFolder)).temperature == 0.8)
        let log = try String(contentsOf: model.appendingPathComponent("runs/generator/log.jsonl"), encoding: .utf8)
        #expect(log.contains("\"val_bits_per_dim\""), "\(log)")
        let image = root.appendingPathComponent("x.jpg")
        let rendered = try runner.run(["render", "a red circle", "--out", image.path, "--model", model.path, "--seed", "3", "--threads", "2"])
        #expect(rendered.status == 0 && FileManager.default.fileExists(atPath: image.path), "\(rendered.stderr)")
        let prompts = root.appendingPathComponent("prompts.jsonl")
        try ShapeBench.jsonLines(Array(ShapeBench.prompts(grammar: fixture.grammar).prefix(2))).write(to: prompts, atomically: true, encoding: .utf8)
        let judged = try runner.run(["eval", "shapebench", "--model", model.path, "--prompts", prompts.path, "--json", "--threads", "2"])
        #expect(judged.status == 0 && judged.stdout.contains("\"overall\""), "\(judged.stderr)")
        let likelihood = try runner.run(["eval", "flow", "--model", model.path, "--data", fixture.validation.path, "--images", "8", "--json"])
        #expect(likelihood.status == 0 && likelihood.stdout.contains("\"bits_per_dim\"") && likelihood.stdout.contains("\"images\" : 8"),
                "\(likelihood.stdout) \(likelihood.stderr)")
        let noFlow = try runner.run(["eval", "flow", "--model", fixture.fae.path, "--data", fixture.validation.path])
        #expect(noFlow.status != 0 && noFlow.stderr.contains("cannot load the model folder"), "\(noFlow.stderr)")
        // A flow with binding labels is refused with a clear message.
        let refused = try runner.run(["train", "generator", "--family", "flow", "--data", fixture.train.path, "--val-data", fixture.validation.path,
                                      "--out", root.appendingPathComponent("refused").path, "--binding-loss", "0.1"])
        #expect(refused.status != 0 && refused.stderr.contains("the flow family trains without auxiliary losses"), "\(refused.stderr)")
    }
}
