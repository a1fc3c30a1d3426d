import Foundation
import ShapesWorld
import TensorEngine
import TestSupport
import Testing
import Tokenizer
@testable import Training

@Suite struct BindingLabelsTests {
    let tokenizer: SentencePieceTokenizer
    let grammar: ShapesGrammar

    init() throws {
        tokenizer = try SentencePieceTokenizer(modelFile: TestPaths.repositoryRoot.appendingPathComponent("models/default/spiece.model"))
        grammar = try ShapesGrammar.load(from: TestPaths.repositoryRoot.appendingPathComponent("prompts"))
    }

    func pair(_ color: String, _ shape: ShapeKind) -> Int32 {
        let colorIndex = grammar.colors.firstIndex { $0.name == color }!
        return Int32(colorIndex * ShapeKind.allCases.count + ShapeKind.allCases.firstIndex(of: shape)!)
    }

    @Test func labelsEveryPieceOfAnObjectsColourAndShapeWithItsPair() throws {
        let caption = "a pink plus sign on the right of a small blue diamond"
        #expect(tokenizer.pieces(caption) == ["▁a", "▁pink", "▁plus", "▁sign", "▁on", "▁the", "▁right", "▁of", "▁a", "▁small", "▁blue", "▁diamond"])
        let labels = BindingLabels(captions: [caption], tokenizer: tokenizer, maxTokens: 16, grammar: grammar)
        let n = TokenLabels.unlabelled, cross = pair("pink", .cross), diamond = pair("blue", .diamond)
        #expect(labels.classes == 8 * 5 && labels.labelledCaptions == 1)
        #expect(labels.labels == [n, cross, cross, cross, n, n, n, n, n, n, diamond, diamond, n, n, n, n])
    }

    @Test func countsObjectsWithoutAColourAndCaptionsItCannotReadOrKeep() throws {
        let captions = ["two red circles", "a circle and a blue square", "a red circle wearing a hat", "a  red circle",
                        "a pink plus sign on the right of a small blue diamond"]
        let labels = BindingLabels(captions: captions, tokenizer: tokenizer, maxTokens: 4, grammar: grammar)
        let n = TokenLabels.unlabelled
        let rows = stride(from: 0, to: labels.labels.count, by: 4).map { Array(labels.labels[$0 ..< $0 + 4]) }
        #expect(rows[0] == [n, pair("red", .circle), pair("red", .circle), n])     // "▁two ▁red ▁circles </s>"
        #expect(rows[1] == [n, n, n, n])                                              // the circle has no colour; the square is cut
        #expect(rows[2] == [n, n, n, n])                                              // the grammar does not parse it
        #expect(rows[3] == [n, n, n, n])                                              // SentencePiece's pieces do not spell it
        #expect(rows[4] == [n, pair("pink", .cross), pair("pink", .cross), n])        // three pieces and </s> fit in 4
        #expect(labels.labelledCaptions == 2)
        #expect(BindingLabels.pieceCharacters(of: "a  red circle", tokenizer: tokenizer) == nil)
        #expect(BindingLabels.pieceCharacters(of: "a red circle", tokenizer: tokenizer) == [-1 ..< 1, 1 ..< 5, 5 ..< 12])   // "▁a": SentencePiece's leading space, then "a"
    }

    /// The `.scene` class of an object: (colour or none, shape, place).
    func scene(_ color: String?, _ shape: ShapeKind, place: Int) -> Int32 {
        let colorIndex = color.map { name in grammar.colors.firstIndex { $0.name == name }! } ?? grammar.colors.count
        return Int32((colorIndex * ShapeKind.allCases.count + ShapeKind.allCases.firstIndex(of: shape)!) * BindingLabels.places(grammar) + place)
    }

    @Test func sceneLabelsAlsoSayWhereTheCaptionPutsEachObject() throws {
        let captions = ["a pink plus sign on the right of a small blue diamond", "a red circle below a square",
                        "three red circles", "a circle and a blue square in the top right"]
        let labels = BindingLabels(captions: captions, tokenizer: tokenizer, maxTokens: 16, grammar: grammar, set: .scene)
        #expect(labels.classes == 9 * 5 * 17 && labels.labelledCaptions == 4)
        let n = TokenLabels.unlabelled
        let rows = stride(from: 0, to: labels.labels.count, by: 16).map { Array(labels.labels[$0 ..< $0 + 16]) }
        // The subject of "right of" is the right-hand object and its object the left-hand one.
        let cross = scene("pink", .cross, place: BindingLabels.rightPlace), diamond = scene("blue", .diamond, place: BindingLabels.leftPlace)
        #expect(rows[0] == [n, cross, cross, cross, n, n, n, n, n, n, diamond, diamond, n, n, n, n])
        // "▁a ▁red ▁circle ▁below ▁a ▁square": the square has no colour and is still labelled, as the upper object.
        let lower = scene("red", .circle, place: BindingLabels.lowerPlace), upper = scene(nil, .square, place: BindingLabels.upperPlace)
        #expect(Array(rows[1].prefix(7)) == [n, lower, lower, n, n, upper, n])
        let three = scene("red", .circle, place: BindingLabels.firstCountPlace + 1)
        #expect(Array(rows[2].prefix(4)) == [n, three, three, n])
        // The top-right cell is place 1 + 0 * 3 + 2.
        let circle = scene(nil, .circle, place: 0), square = scene("blue", .square, place: 3)
        #expect(Array(rows[3].prefix(6)) == [n, circle, n, n, square, square])
    }
}

@Suite struct LayoutLabelsTests {
    @Test func labelsTheTokensWhoseCentresAnObjectCovers() throws {
        let grammar = try ShapesGrammar.load(from: TestPaths.repositoryRoot.appendingPathComponent("prompts"))
        func named(_ name: String) -> NamedColor { grammar.colors.first { $0.name == name }! }
        let small = grammar.sizes.first { $0.name == "small" }!, large = grammar.sizes.first { $0.name == "large" }!
        let scene = Scene(imageSize: 64, cellCenters: [11, 32, 53], background: grammar.backgrounds[0], objects: [
            SceneObject(shape: .circle, color: named("red"), size: small, cell: GridCell(row: 0, column: 0)),
            SceneObject(shape: .cross, color: named("pink"), size: large, cell: GridCell(row: 1, column: 2)),
        ])
        let row = LayoutLabels.row(of: scene, grid: 8, grammar: grammar)
        let circle = Int32(0 * 5 + 0), cross = Int32(7 * 5 + 4), background = Int32(40)
        // The small circle's box is x, y in [6, 17): only token centre 12 (row 1, column 1). The large
        // cross at (53, 32) covers [44, 62) x [23, 41): columns 5-7 (44 <= 44, 52, 60 < 62), rows 3-4.
        var expected = [Int32](repeating: background, count: 64)
        expected[1 * 8 + 1] = circle
        for r in 3 ... 4 { for c in 5 ... 7 { expected[r * 8 + c] = cross } }
        #expect(row == expected)
    }
}

@Suite(.serialized) struct AuxiliaryLossTrainingTests {
    @Test func theGradientsAreThoseOfTheWeightedAuxiliaryLosses() throws {
        let fixture = GeneratorFixture.shared
        let run = try TestPaths.temporaryDirectory("generator-auxiliary-gradient")
        defer { try? FileManager.default.removeItem(at: run) }
        // Weights this large make the auxiliary losses' share of each gradient large enough to check.
        let bindingWeight: Float = 2, layoutWeight: Float = 3
        let trainer = try fixture.trainer(directory: run, steps: 3, batchSize: 4, bindingWeight: bindingWeight, layoutWeight: layoutWeight)
        try trainer.train()             // every parameter leaves adaLN-Zero's zero start
        let replica = trainer.dataParallel.primary
        let bindingHead = try #require(replica.bindingHead), layoutHead = try #require(replica.layoutHead)
        // Random heads, so their gradients into the models are large enough to check.
        var rng = RandomGenerator(seed: 11)
        bindingHead.linear.initialize(&rng)
        layoutHead.linear.initialize(&rng)

        let captions = ["a pink plus sign on the right of a blue diamond", "two red circles", "a circle and a green square"]
        let t = trainer.configuration.textTokens, b = captions.count, config = replica.mmdit.config
        let text = trainer.textBatchEncoder.encode(captions)
        let labels = BindingLabels(captions: captions, tokenizer: trainer.textBatchEncoder.tokenizer, maxTokens: t, grammar: fixture.grammar)
        let bindingCount = labels.labels.filter { $0 != TokenLabels.unlabelled }.count
        #expect(bindingCount == 3 + 2 + 2)   // pink plus sign (its diamond is cut at 8 tokens), red circles, green square
        var layoutLabels: [Int32] = []
        for k in 0 ..< b * config.imageTokens { layoutLabels.append(k % 3 == 0 ? TokenLabels.unlabelled : Int32(k % 41)) }
        let layoutCount = layoutLabels.filter { $0 != TokenLabels.unlabelled }.count
        let xt = Tensor(zeros: [b, config.imageTokens, config.latentChannels]), target = Tensor(zeros: xt.shape)
        rng.fillNormal(xt, std: 1)
        rng.fillNormal(target, std: 1)
        let timesteps = try Tensor(shape: [b], values: [0.3, 0.6, 0.9]), dVelocity = Tensor(zeros: xt.shape)
        let binding = TokenLabels(labels: labels.labels, gradientScale: bindingWeight / Float(bindingCount))
        let layout = TokenLabels(labels: layoutLabels, gradientScale: layoutWeight / Float(layoutCount))
        func total(_ dVelocity: Tensor?) throws -> Double {
            let flow = try replica.loss(rows: 0 ..< b, xt: xt, timesteps: timesteps, target: target, batchIDs: text.ids,
                                        batchMask: text.mask, textTokens: t, dVelocity: dVelocity, binding: binding, layout: layout)
            return Double(flow) + Double(bindingWeight) * replica.bindingTally.lossSum / Double(bindingCount)
                + Double(layoutWeight) * replica.layoutTally.lossSum / Double(layoutCount)
        }
        for parameter in replica.parameters { parameter.zeroGrad() }
        _ = try total(dVelocity)
        #expect(replica.bindingTally.count == bindingCount && replica.layoutTally.count == layoutCount)
        // The text encoder gets both losses' gradients, the last MMDiT block's image stream the layout loss's.
        let checked = replica.textEncoder.namedParameters(prefix: "").map(\.1)
            + replica.mmdit.blocks.last!.namedParameters(prefix: "").filter { $0.0.hasPrefix("image.") }.map(\.1)
            + bindingHead.namedParameters(prefix: "").map(\.1) + layoutHead.namedParameters(prefix: "").map(\.1)
        let failures = GradientCheck.check(checked.map(\.value.buffer), analytic: checked.map(\.grad.values), maxChecksPerInput: 4) {
            (try? total(nil)) ?? .nan
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func bindingLossFallsIsValidatedAndResumesOnlyWithItsWeight() throws {
        let fixture = GeneratorFixture.shared
        let run = try TestPaths.temporaryDirectory("generator-binding")
        defer { try? FileManager.default.removeItem(at: run) }
        let trainer = try fixture.trainer(directory: run, steps: 40, batchSize: 8, bindingWeight: 1)
        #expect(trainer.run.parameters.contains { $0.0 == "binding.weight" })
        try trainer.train()
        let lines = try String(contentsOf: run.appendingPathComponent("log.jsonl"), encoding: .utf8).split(separator: "\n")
        let bindingLosses = try lines.compactMap { line -> Double? in
            let json = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return json["binding_loss"] as? Double
        }
        #expect(bindingLosses.count >= 4)
        #expect(bindingLosses.last! < 0.9 * bindingLosses.first!, "\(bindingLosses)")   // 3.84 -> 3.09 when written
        #expect(lines.filter { $0.contains("val_binding_accuracy") }.count == 4, "\(lines)")
        // The exported parts are the generator and text encoder alone.
        try trainer.export(to: run, tokenizerFile: fixture.tokenizerFile)
        let exported = try SafetensorsFile(url: run.appendingPathComponent("text_encoder/model.safetensors"))
        #expect(!exported.names.contains { $0.contains("binding") })

        #expect(throws: TrainingError.self) { _ = try fixture.trainer(directory: run, steps: 41, batchSize: 8, resume: true) }
        let resumed = try fixture.trainer(directory: run, steps: 41, batchSize: 8, resume: true, bindingWeight: 1)
        #expect(resumed.run.state.step == 40)
    }
}
