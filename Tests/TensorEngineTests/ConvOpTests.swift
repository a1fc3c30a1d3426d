import Foundation
import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    /// Ops.conv2d (im2col + sgemm) and the Conv2d layer: PyTorch parity and finite differences.
    @Suite struct Conv {
        static func fixture(_ name: String) throws -> Tensor {
            let file = try SafetensorsFile(url: SafetensorsFixtures.url("conv2d/conv2d.safetensors"))
            return try Tensor(shape: file.info(name).shape, values: file.floats(name))
        }

        @Test func matchesTorchForwardAndBackward() throws {
            try withThreads { _ in
                let x = try Self.fixture("x"), dy = try Self.fixture("dy")
                let conv = Conv2d(3, 4)
                conv.weight.value.copy(from: try Self.fixture("weight"))
                conv.bias!.value.copy(from: try Self.fixture("bias"))
                conv.zeroGrad()
                let y = conv.forward(x)
                #expect(y.shape == [2, 4, 5, 6])
                #expect(Tolerance.compare(y.values, try Self.fixture("y").values, rtol: 1e-5, atol: 1e-5) == nil)
                let dx = try #require(conv.backward(dy))
                #expect(Tolerance.compare(dx.values, try Self.fixture("dx").values, rtol: 1e-5, atol: 1e-5) == nil)
                #expect(Tolerance.compare(conv.weight.grad.values, try Self.fixture("dweight").values, rtol: 1e-5, atol: 1e-4) == nil)
                #expect(Tolerance.compare(conv.bias!.grad.values, try Self.fixture("dbias").values, rtol: 1e-5, atol: 1e-4) == nil)
            }
        }

        @Test func finiteDifferences() {
            for (kernel, padding) in [(3, 1), (1, 0), (3, 0)] {
                let conv = Conv2d(2, 3, kernel: kernel, padding: padding)
                var rng = RandomGenerator(seed: 5)
                conv.initialize(&rng)
                let x = randomTensor([2, 2, 4, 5], seed: 6)
                let dx = Tensor(zeros: x.shape)
                let f = checkGradients(inputs: [x, conv.weight.value, conv.bias!.value],
                                       grads: [dx, conv.weight.grad, conv.bias!.grad]) {
                    conv.forward(x)
                } backward: { dy in
                    Ops.accumulate(conv.backward(dy)!, into: dx)
                }
                #expect(f.isEmpty, "kernel \(kernel) padding \(padding): \(f)")
            }
        }

        @Test func reusesBuffersAcrossSteps() {
            let conv = Conv2d(2, 3)
            let x = randomTensor([1, 2, 6, 6], seed: 1)
            let y1 = conv.forward(x), d1 = conv.backward(y1)!
            let y2 = conv.forward(x), d2 = conv.backward(y2)!
            #expect(y1.sharesBuffer(with: y2) && d1.sharesBuffer(with: d2))
        }
    }
}
