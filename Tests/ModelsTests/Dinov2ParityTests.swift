import Foundation
import Testing
import Models
import TensorEngine

/// DINOv2 outputs vs transformers 5.24 (fixtures from scripts/make_fixtures.py).
/// Relative error = max |swift - torch| / max |torch| per tensor.
@Suite struct Dinov2ParityTests {
    /// 20x12 input: the 4x4 position grid is resized bicubically to 5x3; checks every layer.
    @Test(arguments: ["dinov2", "dinov2_swiglu"])
    func interpolatedInputMatches(folder: String) throws {
        let model = try Dinov2Model.load(directory: ModelFixtures.directory(folder))
        let (inputs, outputs) = try ModelFixtures.parityFiles(folder)
        let pixels = try ModelFixtures.tensor(inputs, "pixel_values")            // (2, 3, 20, 12)
        let embeddings = try model.embeddings.forward(pixels)
        #expect(ModelFixtures.relativeError(embeddings, try ModelFixtures.tensor(outputs, "embeddings")) < 1e-5)
        var x = embeddings
        for (i, layer) in model.layers.enumerated() {
            x = layer.forward(x)
            #expect(ModelFixtures.relativeError(x, try ModelFixtures.tensor(outputs, "layer.\(i)")) < 1e-4, "layer \(i)")
        }
        let y = try model.forward(pixels)
        #expect(y.shape == [2, 1 + 15, 32])
        let error = ModelFixtures.relativeError(y, try ModelFixtures.tensor(outputs, "last_hidden_state"))
        print("parity \(folder) last_hidden_state 20x12: \(error)")
        #expect(error < 1e-4)
    }

    /// 16x16 input: the stored position grid is used as is.
    @Test(arguments: ["dinov2", "dinov2_swiglu"])
    func nativeInputMatches(folder: String) throws {
        let model = try Dinov2Model.load(directory: ModelFixtures.directory(folder))
        let pixels = try ModelFixtures.tensor(try ModelFixtures.file(folder, "inputs_native.safetensors"), "pixel_values")
        let y = try model.forward(pixels)
        let expected = try ModelFixtures.tensor(try ModelFixtures.file(folder, "outputs_native.safetensors"), "last_hidden_state")
        let error = ModelFixtures.relativeError(y, expected)
        print("parity \(folder) last_hidden_state 16x16: \(error)")
        #expect(error < 1e-4)
    }

    @Test func forwardReusesBuffers() throws {
        let model = try Dinov2Model.load(directory: ModelFixtures.directory("dinov2"))
        let pixels = try ModelFixtures.tensor(try ModelFixtures.file("dinov2", "inputs.safetensors"), "pixel_values")
        let first = try model.forward(pixels)
        let firstValues = first.values
        let second = try model.forward(pixels)
        #expect(first.sharesBuffer(with: second))
        #expect(second.values == firstValues)
    }

    @Test func rejectsWrongChannels() throws {
        let model = try Dinov2Model.load(directory: ModelFixtures.directory("dinov2"))
        #expect(throws: ModelError.self) { try model.forward(Tensor(zeros: [1, 4, 16, 16])) }
        #expect(throws: ModelError.self) { try model.forward(Tensor(zeros: [1, 3, 2, 16])) }
    }
}
