import Foundation
import Testing
import Models
import TensorEngine
import TestSupport

/// MMDiT behaviour: adaLN-Zero identity at init, text mask, save/load, buffer reuse, config errors.
@Suite struct MMDiTTests {
    /// With every modulation zero the blocks are identities, so the output is exactly
    /// finalLinear(RMSNorm(imageEmbedder(x))) (biases are zero after init).
    @Test func adaLNZeroInitMakesBlocksIdentity() throws {
        let f = try MMDiTFixture(randomize: false)
        let y = try f.forward()
        let cfg = MMDiTFixture.config
        let we = f.model.imageEmbedder.weight.value, wf = f.model.finalLinear.weight.value
        var expected: [Float] = []
        for row in 0 ..< 2 * cfg.imageTokens {
            var h = [Float](repeating: 0, count: cfg.width)
            for o in 0 ..< cfg.width { for i in 0 ..< cfg.latentChannels { h[o] += f.x.pointer[row * cfg.latentChannels + i] * we[o, i] } }
            let rstd = 1 / ((h.reduce(0) { $0 + $1 * $1 } / Float(cfg.width)) + Float(cfg.normEpsilon)).squareRoot()
            for o in 0 ..< cfg.latentChannels {
                var s: Float = 0
                for i in 0 ..< cfg.width { s += h[i] * rstd * wf[o, i] }
                expected.append(s)
            }
        }
        #expect(Tolerance.compare(y.values, expected, rtol: 1e-4, atol: 1e-5) == nil)
        #expect(y.values.contains { $0 != 0 })
    }

    /// Changing a padded text token (hidden state) leaves the velocity bit-identical; changing an
    /// attended one does not.
    @Test func jointAttentionRespectsTextMask() throws {
        let f = try MMDiTFixture()
        let before = try f.forward().values
        let c = MMDiTFixture.config.textWidth
        for i in 0 ..< c { f.text.pointer[2 * c + i] += 5 }                   // sample 0, token 2 (masked)
        #expect(try f.forward().values == before)
        f.text.pointer[c] += 1                                                 // sample 0, token 1 (attended)
        let after = try f.forward().values
        #expect(after[0 ..< after.count / 2] != before[0 ..< before.count / 2])
        #expect(after[after.count / 2 ..< after.count] == before[before.count / 2 ..< before.count])
    }

    @Test(arguments: [false, true]) func saveLoadRoundTrip(textPositions: Bool) throws {
        let f = try MMDiTFixture(textPositions: textPositions)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mmdit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try f.model.save(directory: dir)
        let loaded = try MMDiT.load(directory: dir)
        #expect(loaded.config == f.model.config)
        let y = try loaded.forward(f.x, timesteps: f.timesteps, text: f.text, textMask: f.mask).values
        #expect(y == (try f.forward()).values)
        // Strict: a config that does not match the weights is an error naming the tensors.
        var other = f.model.config
        other.depth = 3
        try StateDict.savePretrained(config: other, parameters: f.model.namedParameters(prefix: ""), to: dir)
        #expect(throws: ModelError.self) { try MMDiT.load(directory: dir) }
    }

    @Test func configDecodesSnakeCaseAndRejectsBadShapes() throws {
        let json = #"{"width": 32, "depth": 3, "heads": 2, "latent_channels": 8, "grid_height": 4, "grid_width": 4, "text_width": 24, "max_text_tokens": 10, "mlp_ratio": 3, "timestep_embedding_dim": 64}"#
        let cfg = try JSONDecoder().decode(MMDiTConfig.self, from: Data(json.utf8))
        #expect(cfg.width == 32 && cfg.latentChannels == 8 && cfg.imageTokens == 16 && cfg.mlpHidden == 96 && cfg.textWidth == 24)
        #expect(!cfg.textPositions, "checkpoints from before text positions have none")
        let positioned = try JSONDecoder().decode(MMDiTConfig.self, from: Data(json.replacingOccurrences(of: "}", with: #", "text_positions": true}"#).utf8))
        let positionedModel = try MMDiT(config: positioned)
        #expect(positioned.textPositions && positionedModel.textPositionEmbedding?.shape == [10, 32])
        // From scratch the positions are the sinusoids: position 0 is (0, 1, 0, 1, ...), position 1 starts (sin 1, cos 1).
        positionedModel.initialize(seed: 0)
        let table = try #require(positionedModel.textPositionEmbedding).value.values
        #expect(table[0..<4] == [0, 1, 0, 1] && abs(table[32] - sin(1)) < 1e-6 && abs(table[33] - cos(1)) < 1e-6)
        var bad = cfg
        bad.heads = 3
        #expect(throws: ModelError.self) { try MMDiT(config: bad) }
        let f = try MMDiTFixture()
        #expect(throws: ModelError.self) { try f.model.forward(f.text, timesteps: f.timesteps, text: f.text, textMask: f.mask) }
    }

    /// After the first step at a shape, forward and backward reuse every buffer.
    @Test func reusesBuffersAcrossSteps() throws {
        let f = try MMDiTFixture()
        let y1 = try f.forward()
        let d1 = f.model.backward(y1)
        let y2 = try f.forward()
        let d2 = f.model.backward(y2)
        #expect(y1.sharesBuffer(with: y2) && d1.sharesBuffer(with: d2))
    }
}
