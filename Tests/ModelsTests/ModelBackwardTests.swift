import Foundation
import Testing
import Models
import TensorEngine

/// Whole-model backward (embeddings, position resize, every block, final norm) against central
/// finite differences of loss = sum(output * w), at a few entries per parameter. Tolerance:
/// |numeric - analytic| <= 2e-2 * max(max |analytic gradient of that tensor|, 0.1) (float32 forward,
/// eps 1e-2; the floor covers the key biases, whose gradient is zero up to rounding).
@Suite struct ModelBackwardTests {
    @Test func dinov2FullBackward() throws {
        let model = try Dinov2Model.load(directory: ModelFixtures.directory("dinov2"))
        model.needsInputGradient = true
        let pixels = try ModelFixtures.tensor(try ModelFixtures.file("dinov2", "inputs.safetensors"), "pixel_values")
        let y = try model.forward(pixels)
        var rng = RandomGenerator(seed: 7)
        let w = Tensor(zeros: y.shape)
        rng.fillNormal(w)
        model.zeroGrad()
        let dPixels = try #require(model.backward(w))
        let loss = { () throws -> Double in Self.dot(try model.forward(pixels), w) }
        var checked = Set<String>()
        for (key, p) in model.namedParameters(prefix: "") where key != "embeddings.mask_token" {
            try Self.checkEntries(p.value, p.grad, loss: loss, label: key, rng: &rng)
            checked.insert(key)
        }
        try Self.checkEntries(pixels, dPixels, loss: loss, label: "pixel_values", rng: &rng)
        #expect(checked.contains("embeddings.position_embeddings"))
    }

    /// Masked-image pretraining: masked patches read `mask_token` (plus their position), so their
    /// patch embedding gets no gradient and the mask token gets the sum over masked positions.
    @Test func dinov2MaskedPatchesBackward() throws {
        let model = try Dinov2Model.load(directory: ModelFixtures.directory("dinov2"))
        let pixels = try ModelFixtures.tensor(try ModelFixtures.file("dinov2", "inputs.safetensors"), "pixel_values")
        var rng = RandomGenerator(seed: 9)
        let maskToken = try #require(model.embeddings.maskToken)
        rng.fillNormal(maskToken.value)
        let patch = model.embeddings.patch, patches = (pixels.dim(2) / patch) * (pixels.dim(3) / patch)
        let unmasked = try model.forward(pixels).values
        model.embeddings.maskedPatches = (0 ..< pixels.dim(0) * patches).map { UInt8($0 % 3 == 0 ? 1 : 0) }
        let y = try model.forward(pixels)
        #expect(y.values != unmasked)
        let w = Tensor(zeros: y.shape)
        rng.fillNormal(w)
        model.zeroGrad()
        model.backward(w)
        let loss = { () throws -> Double in Self.dot(try model.forward(pixels), w) }
        try Self.checkEntries(maskToken.value, maskToken.grad, loss: loss, label: "embeddings.mask_token", rng: &rng)
        let projection = model.embeddings.patchEmbedding.namedParameters(prefix: "")
        for (key, p) in projection { try Self.checkEntries(p.value, p.grad, loss: loss, label: key, rng: &rng) }
        // A wrong-sized mask is an error, not a crash.
        model.embeddings.maskedPatches = [1]
        #expect(throws: ModelError.self) { _ = try model.forward(pixels) }
    }

    @Test func t5FullBackward() throws {
        let model = try T5Encoder.load(directory: ModelFixtures.directory("t5_gated_gelu"))
        let inputs = try ModelFixtures.file("t5_gated_gelu", "inputs.safetensors")
        let ids = try ModelFixtures.int32s(inputs, "input_ids"), mask = try ModelFixtures.int32s(inputs, "attention_mask")
        let forward = { try model.forward(inputIDs: ids, batch: 2, length: 24, attentionMask: mask) }
        let y = try forward()
        var rng = RandomGenerator(seed: 11)
        let w = Tensor(zeros: y.shape)
        rng.fillNormal(w)
        model.zeroGrad()
        model.backward(w)
        let loss = { () throws -> Double in Self.dot(try forward(), w) }
        for (key, p) in model.namedParameters(prefix: "") {
            if key == "shared.weight" {
                // Only rows of tokens in the batch have gradients; probe those.
                let row = Int(ids[5]), d = model.config.dModel
                try Self.checkEntries(p.value, p.grad, loss: loss, label: key, rng: &rng, indices: (0 ..< 4).map { row * d + $0 * 7 })
            } else {
                try Self.checkEntries(p.value, p.grad, loss: loss, label: key, rng: &rng)
            }
        }
    }

    static func dot(_ a: Tensor, _ b: Tensor) -> Double {
        var s = 0.0
        for i in 0 ..< a.count { s += Double(a.pointer[i]) * Double(b.pointer[i]) }
        return s
    }

    static func checkEntries(_ value: Tensor, _ grad: Tensor, loss: () throws -> Double, label: String,
                             rng: inout RandomGenerator, indices: [Int]? = nil) throws {
        let scale = grad.values.map(abs).max() ?? 0
        let picks = indices ?? (0 ..< 3).map { _ in Int(rng.nextUInt64() % UInt64(value.count)) }
        let eps: Float = 1e-2
        for i in picks {
            let original = value.pointer[i]
            value.pointer[i] = original + eps
            let plus = try loss()
            value.pointer[i] = original - eps
            let minus = try loss()
            value.pointer[i] = original
            let numeric = (plus - minus) / Double(2 * eps)
            let analytic = Double(grad.pointer[i])
            #expect(abs(numeric - analytic) <= 2e-2 * Double(max(scale, 0.1)),
                    "\(label)[\(i)]: numeric \(numeric), analytic \(analytic), scale \(scale)")
        }
    }
}
