import Foundation
import Testing
import Models
import TensorEngine

/// T5 encoder outputs vs transformers 5.24, padded batch (row 1 padded from position 17).
/// Relative error = max |swift - torch| / max |torch| per tensor.
@Suite struct T5ParityTests {
    @Test(arguments: ["t5_relu", "t5_gated_gelu"])
    func paddedBatchMatches(folder: String) throws {
        let model = try T5Encoder.load(directory: ModelFixtures.directory(folder))
        let (inputs, outputs) = try ModelFixtures.parityFiles(folder)
        let ids = try ModelFixtures.int32s(inputs, "input_ids")                   // (2, 24)
        let mask = try ModelFixtures.int32s(inputs, "attention_mask")
        #expect(mask.contains(0))
        let y = try model.forward(inputIDs: ids, batch: 2, length: 24, attentionMask: mask)
        let error = ModelFixtures.relativeError(y, try ModelFixtures.tensor(outputs, "last_hidden_state"))
        print("parity \(folder) last_hidden_state: \(error)")
        #expect(error < 1e-4)
        let bias = model.relativeBias.forward(length: 24)
        #expect(ModelFixtures.relativeError(bias, try ModelFixtures.tensor(outputs, "position_bias")) == 0)
    }

    @Test(arguments: ["t5_relu", "t5_gated_gelu"])
    func layersMatch(folder: String) throws {
        let model = try T5Encoder.load(directory: ModelFixtures.directory(folder))
        let (inputs, outputs) = try ModelFixtures.parityFiles(folder)
        let ids = try ModelFixtures.int32s(inputs, "input_ids")
        let maskValues = try ModelFixtures.int32s(inputs, "attention_mask")
        let keyMask = try Tensor(shape: [2, 24], values: maskValues.map(Float.init))
        let x0 = Tensor(zeros: [2, 24, 32])
        try ids.withUnsafeBufferPointer { try Ops.embeddingForward(ids: $0, table: model.embedding.value, y: x0) }
        #expect(ModelFixtures.relativeError(x0, try ModelFixtures.tensor(outputs, "embeddings")) == 0)
        let bias = model.relativeBias.forward(length: 24)
        var x = x0
        for (i, block) in model.blocks.enumerated() {
            x = block.forward(x, attentionBias: bias, keyMask: keyMask)
            #expect(ModelFixtures.relativeError(x, try ModelFixtures.tensor(outputs, "layer.\(i)")) < 1e-4, "block \(i)")
        }
    }

    @Test func unpaddedMaskEqualsNoMask() throws {
        let model = try T5Encoder.load(directory: ModelFixtures.directory("t5_relu"))
        let ids: [Int32] = [3, 9, 27, 1]
        let a = try model.forward(inputIDs: ids, batch: 1, length: 4).values
        let b = try model.forward(inputIDs: ids, batch: 1, length: 4, attentionMask: [1, 1, 1, 1]).values
        #expect(a == b)
    }

    @Test func rejectsBadInput() throws {
        let model = try T5Encoder.load(directory: ModelFixtures.directory("t5_relu"))
        #expect(throws: ModelError.self) { try model.forward(inputIDs: [1, 64], batch: 1, length: 2) }
        #expect(throws: ModelError.self) { try model.forward(inputIDs: [1, -1], batch: 1, length: 2) }
        #expect(throws: ModelError.self) { try model.forward(inputIDs: [1, 2, 3], batch: 1, length: 2) }
        #expect(throws: ModelError.self) { try model.forward(inputIDs: [1, 2], batch: 1, length: 2, attentionMask: [1, 2]) }
    }

    /// The bucket function vs transformers' `_relative_position_bucket` for -300 ... 300.
    @Test func bucketsMatch() throws {
        let file = try ModelFixtures.file("t5_buckets", "buckets.safetensors")
        let positions = try file.int64s("relative_position")
        let cases: [(String, Bool, Int, Int)] = [
            ("bidirectional_32_128", true, 32, 128), ("bidirectional_32_20", true, 32, 20),
            ("bidirectional_16_64", true, 16, 64), ("unidirectional_32_128", false, 32, 128),
        ]
        for (name, bidirectional, buckets, distance) in cases {
            let expected = try file.int64s(name)
            let got = positions.map {
                Int64(T5RelativePositionBias.bucket(Int($0), bidirectional: bidirectional, numBuckets: buckets, maxDistance: distance))
            }
            #expect(got == expected, "\(name)")
        }
    }
}
