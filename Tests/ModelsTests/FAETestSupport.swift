import Foundation
import Models
import TensorEngine
import TestSupport

/// Tiny FAE configurations and helpers shared by the FAE tests.
enum FAETestSupport {
    /// 4x4-pixel images, 2x2 patches (a 2x2 token grid), 8-wide features, wide encoder heads
    /// (2 x 6 = 12 > 8), d = 3: every code path at finite-difference-friendly sizes.
    static func tinyConfig(kind: FAEEncoderKind = .attention, preNorm: Bool = false) -> FAEConfig {
        var c = FAEConfig()
        c.encoderWidth = 8; c.encoderHeads = 2; c.encoderHeadDim = 6; c.encoderKind = kind; c.encoderPreNorm = preNorm
        c.latentChannels = 3
        c.featureDecoderWidth = 8; c.featureDecoderDepth = 1; c.featureDecoderHeads = 2
        c.pixelDecoderWidth = 8; c.pixelDecoderDepth = 1; c.pixelDecoderHeads = 2; c.pixelDecoderMapChannels = 2
        c.mlpRatio = 2; c.patchSize = 2; c.imageSize = 4
        return c
    }

    static func random(_ shape: [Int], seed: UInt64, std: Float = 1) -> Tensor {
        var rng = RandomGenerator(seed: seed)
        let t = Tensor(zeros: shape)
        rng.fillNormal(t, std: std)
        return t
    }

    static func dot(_ a: Tensor, _ b: Tensor) -> Double {
        var s = 0.0
        for i in 0 ..< a.count { s += Double(a.pointer[i]) * Double(b.pointer[i]) }
        return s
    }

    /// Finite differences over every parameter of `model` (and `inputs` with their gradients):
    /// `step()` zeroes nothing, runs forward + backward and returns nothing; `loss()` recomputes
    /// the scalar loss. Returns the mismatches.
    static func check(_ model: Module, inputs: [(Tensor, Tensor)] = [], step: () -> Void, loss: () -> Double) -> [String] {
        model.zeroGrad()
        for (_, g) in inputs { g.zero() }
        step()
        let params = model.namedParameters(prefix: "")
        let buffers = params.map(\.1.value.buffer) + inputs.map(\.0.buffer)
        let analytic = params.map(\.1.grad.values) + inputs.map(\.1.values)
        let failures = GradientCheck.check(buffers, analytic: analytic, eps: 1e-2, rtol: 3e-2, atol: 3e-3, maxChecksPerInput: 12, loss: loss)
        let names = params.map(\.0) + inputs.indices.map { "input \($0)" }
        // Name the tensor instead of its index so failures are readable.
        return failures.map { f in
            guard let k = Int(f.dropFirst(6).prefix { $0 != "[" }) else { return f }
            return "\(names[k]): \(f)"
        }
    }

    /// A shapes-world render as a (1, 3, 64, 64) tensor in [-1, 1].
    static func render(_ prompt: String, seed: UInt64) throws -> Tensor {
        let world = try ShapesWorldLoader.world()
        let (_, image) = try world.render(prompt: prompt, seed: seed)
        let hw = image.width * image.height
        let t = Tensor(zeros: [1, 3, image.height, image.width])
        for i in 0 ..< hw {
            for c in 0 ..< 3 { t.pointer[c * hw + i] = Float(image.pixels[i * 3 + c]) / 127.5 - 1 }
        }
        return t
    }
}
