import Foundation
import Testing
import Models
import TensorEngine
import TestSupport

/// Strict loading (errors name the tensors), key aliases, half precision, and save round trips.
@Suite struct CheckpointLoadingTests {
    static func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func dinov2ReportsMissingUnusedAndMisShaped() throws {
        let dir = try ModelFixtures.editedCopy(of: "dinov2") { t in
            t["encoder.layer.1.norm2.bias"] = nil
            t["encoder.layer.9.extra.weight"] = ([2], [1, 2])
            t["layernorm.weight"] = ([1, 32], t["layernorm.weight"]!.values)
        }
        let text = Self.message { _ = try Dinov2Model.load(directory: dir) }
        #expect(text.contains("missing: encoder.layer.1.norm2.bias"))
        #expect(text.contains("unused: encoder.layer.9.extra.weight"))
        #expect(text.contains("mis-shaped: layernorm.weight expected [32] got [1, 32]"))
    }

    @Test func dinov2MaskTokenIsOptional() throws {
        let dir = try ModelFixtures.editedCopy(of: "dinov2") { $0["embeddings.mask_token"] = nil }
        _ = try Dinov2Model.load(directory: dir)
    }

    @Test func t5ReportsProblemsAndAcceptsAliases() throws {
        let broken = try ModelFixtures.editedCopy(of: "t5_relu") { t in
            t["encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"] = nil
            t["encoder.block.1.layer.1.DenseReluDense.wi.weight"] = ([32, 64], [Float](repeating: 0, count: 2048))
            t["encoder.extra"] = ([1], [0])
        }
        let text = Self.message { _ = try T5Encoder.load(directory: broken) }
        #expect(text.contains("missing: encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"))
        #expect(text.contains("unused: encoder.extra"))
        #expect(text.contains("mis-shaped: encoder.block.1.layer.1.DenseReluDense.wi.weight expected [64, 32] got [32, 64]"))

        // A full encoder-decoder checkpoint with the embedding under the encoder's name.
        let hub = try ModelFixtures.editedCopy(of: "t5_relu") { t in
            t["encoder.embed_tokens.weight"] = t["shared.weight"]
            t["shared.weight"] = nil
            t["decoder.block.0.layer.0.SelfAttention.q.weight"] = ([32, 32], [Float](repeating: 0, count: 1024))
            t["lm_head.weight"] = ([64, 32], [Float](repeating: 0, count: 2048))
        }
        let reference = try T5Encoder.load(directory: ModelFixtures.directory("t5_relu"))
        let model = try T5Encoder.load(directory: hub)
        #expect(model.embedding.value.values == reference.embedding.value.values)
    }

    @Test func missingFilesGiveClearErrors() throws {
        let empty = try TestPaths.temporaryDirectory("empty-model")
        #expect(Self.message { _ = try T5Encoder.load(directory: empty) }.contains("config.json"))
        #expect(Self.message { _ = try Dinov2Model.load(directory: empty.appendingPathComponent("nope")) }.contains("not a model directory"))
        try Data("{".utf8).write(to: empty.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: ModelFixtures.directory("t5_relu").appendingPathComponent("model.safetensors"),
                                         to: empty.appendingPathComponent("model.safetensors"))
        #expect(Self.message { _ = try T5Encoder.load(directory: empty) }.contains("invalid"))
    }

    /// F16 weights convert on load; outputs stay close to the float32 model's.
    @Test func halfPrecisionCheckpointLoads() throws {
        let source = ModelFixtures.directory("t5_gated_gelu")
        let dir = try TestPaths.temporaryDirectory("t5-f16")
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"), to: dir.appendingPathComponent("config.json"))
        let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        for (i, info) in file.tensors.enumerated() {
            try writer.add(name: info.name, floats: try file.floats(info.name), shape: info.shape, as: i % 2 == 0 ? .f16 : .bf16)
        }
        try writer.write(to: dir.appendingPathComponent("model.safetensors"))
        let half = try T5Encoder.load(directory: dir)
        let full = try T5Encoder.load(directory: source)
        let ids: [Int32] = [4, 8, 15, 16, 23, 42]
        let a = try half.forward(inputIDs: ids, batch: 1, length: 6)
        let b = try full.forward(inputIDs: ids, batch: 1, length: 6)
        #expect(ModelFixtures.relativeError(a, b) < 2e-2)
    }

    @Test func saveRoundTrips() throws {
        let dinov2 = try Dinov2Model.load(directory: ModelFixtures.directory("dinov2_swiglu"))
        let dir = try TestPaths.temporaryDirectory("dinov2-save")
        try dinov2.save(directory: dir)
        try Self.expectSameTensors(saved: dir, as: "dinov2_swiglu")
        let reloaded = try Dinov2Model.load(directory: dir)
        #expect(reloaded.config == dinov2.config)

        let t5 = try T5Encoder.load(directory: ModelFixtures.directory("t5_gated_gelu"))
        let t5dir = try TestPaths.temporaryDirectory("t5-save")
        try t5.save(directory: t5dir)
        try Self.expectSameTensors(saved: t5dir, as: "t5_gated_gelu")
        #expect(try T5Encoder.load(directory: t5dir).config == t5.config)
    }

    /// The saved folder's model.safetensors holds exactly the fixture's tensors, value for value.
    static func expectSameTensors(saved dir: URL, as fixture: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        let saved = try SafetensorsFile(url: dir.appendingPathComponent("model.safetensors"))
        let original = try ModelFixtures.file(fixture, "model.safetensors")
        #expect(Set(saved.names) == Set(original.names), sourceLocation: sourceLocation)
        for name in original.names {
            #expect(try saved.floats(name) == original.floats(name), "\(name)", sourceLocation: sourceLocation)
        }
    }
}
