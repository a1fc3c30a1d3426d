import Foundation
import Testing
import Models
import TensorEngine

/// One block's backward vs torch autograd: loss = sum(block(input) * loss_weight); every parameter
/// gradient (checkpoint names) and the input gradient within relative error 1e-3, defined per tensor
/// as max |swift - torch| / max(max |torch|, 1e-3 * G) with G the largest reference gradient of the
/// block: the floor only matters for DINOv2's key bias, whose gradient is zero up to rounding
/// (softmax is invariant to a per-query shift), ~5e-7 in torch against G ~ 15.
@Suite struct GradientParityTests {
    @Test func dinov2LayerGradients() throws {
        let model = try Dinov2Model.load(directory: ModelFixtures.directory("dinov2"))
        let io = try ModelFixtures.file("dinov2", "block_io.safetensors")
        let grads = try ModelFixtures.file("dinov2", "block_grads.safetensors")
        let block = model.layers[0]
        let input = try ModelFixtures.tensor(io, "input")
        let y = block.forward(input)
        #expect(ModelFixtures.relativeError(y, try ModelFixtures.tensor(io, "output")) < 1e-4)
        model.zeroGrad()
        let dx = block.backward(try ModelFixtures.tensor(io, "loss_weight"))
        try check(dx, try ModelFixtures.tensor(io, "input_grad"), "dinov2 input")
        let named = Dinov2Model.checkpointParameters(of: block, prefix: "encoder.layer.0.", config: model.config)
        #expect(Set(named.map(\.0)) == Set(grads.names))
        let floor = try Self.floor(grads)
        for (key, p) in named { try check(p.grad, try ModelFixtures.tensor(grads, key), key, floor: floor) }
    }

    @Test(arguments: ["t5_relu", "t5_gated_gelu"])
    func t5BlockGradients(folder: String) throws {
        let model = try T5Encoder.load(directory: ModelFixtures.directory(folder))
        let io = try ModelFixtures.file(folder, "block_io.safetensors")
        let grads = try ModelFixtures.file(folder, "block_grads.safetensors")
        let input = try ModelFixtures.tensor(io, "input")                        // (2, 24, 32)
        let (b, t) = (input.dim(0), input.dim(1))
        let keyMask = try Tensor(shape: [b, t], values: ModelFixtures.int32s(io, "attention_mask").map(Float.init))
        let block = model.blocks[0]
        // Block 0 computes the bias itself, so its gradient reaches the bias table.
        let bias = model.relativeBias.forward(length: t)
        let y = block.forward(input, attentionBias: bias, keyMask: keyMask)
        #expect(ModelFixtures.relativeError(y, try ModelFixtures.tensor(io, "output")) < 1e-4)
        model.zeroGrad()
        let dBias = Tensor(zeros: bias.shape)
        let dx = block.backward(try ModelFixtures.tensor(io, "loss_weight"), attentionBiasGrad: dBias)
        model.relativeBias.backward(dBias)
        try check(dx, try ModelFixtures.tensor(io, "input_grad"), "\(folder) input")
        let prefix = "encoder.block.0."
        let named = block.namedParameters(prefix: prefix)
            + model.relativeBias.namedParameters(prefix: prefix + "layer.0.SelfAttention.relative_attention_bias.")
        #expect(Set(named.map(\.0)) == Set(grads.names))
        let floor = try Self.floor(grads)
        for (key, p) in named { try check(p.grad, try ModelFixtures.tensor(grads, key), "\(folder) \(key)", floor: floor) }
    }

    static func floor(_ grads: SafetensorsFile) throws -> Float {
        try grads.names.map { try grads.floats($0).map(abs).max() ?? 0 }.max().map { $0 * 1e-3 } ?? 0
    }

    private func check(_ got: Tensor, _ expected: Tensor, _ label: String, floor: Float = 0) throws {
        #expect(got.shape == expected.shape || got.count == expected.count, "\(label) shape")
        let error = ModelFixtures.relativeError(got, expected, floor: floor)
        print("gradient \(label): \(error)")
        #expect(error < 1e-3, "\(label): relative error \(error)")
    }
}
