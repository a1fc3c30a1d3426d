import Foundation
import Models
import TensorEngine
import Testing
import TestSupport

/// A tiny random flow with every weight non-zero (the output projections too, so no block is the
/// identity), a batch of latents and a text batch whose second row has a padded token.
struct FlowFixture {
    static let config = FlowConfig(latentChannels: 3, gridHeight: 2, gridWidth: 3, width: 16, heads: 2,
                                   deepLayers: 2, shallowBlocks: 2, shallowLayers: 1, textWidth: 8, maxTextTokens: 5)
    let model: TransformerFlow
    let x: Tensor, text: Tensor, textMask: Tensor

    init(batch: Int = 2, seed: UInt64 = 1) throws {
        model = try TransformerFlow(config: Self.config)
        var rng = RandomGenerator(seed: seed)
        model.initialize(&rng)
        for block in model.blocks { rng.fillNormal(block.output.weight.value, std: 0.2); rng.fillNormal(block.output.bias!.value, std: 0.2) }
        let c = Self.config
        x = Tensor(zeros: [batch, c.imageTokens, c.latentChannels])
        rng.fillNormal(x)
        text = Tensor(zeros: [batch, 4, c.textWidth])
        rng.fillNormal(text)
        textMask = Tensor(zeros: [batch, 4])
        textMask.fill(1)
        if batch > 1 { textMask.pointer[4 + 3] = 0 }
    }

    func loss() throws -> Double {
        _ = try model.forward(x, text: text, textMask: textMask)
        return Double(model.negativeLogLikelihood())
    }
}

@Suite struct TransformerFlowTests {
    @Test func samplingInvertsTheForwardMapToFloatPrecision() throws {
        let f = try FlowFixture()
        let z = try f.model.forward(f.x, text: f.text, textMask: f.textMask).values
        var steps: [Int] = []
        let back = try f.model.sample(noise: Tensor(shape: f.x.shape, values: z), text: f.text, textMask: f.textMask) { done, total in
            steps.append(done)
            #expect(total == 3 * 6)
        }
        let error = zip(back.values, f.x.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(error < 1e-4, "round trip error \(error)")
        #expect(steps == Array(1...18))
        #expect(zip(z, f.x.values).map { abs($0 - $1) }.max()! > 0.1, "the fixture's flow is not the identity")
    }

    @Test func theLogDeterminantIsTheJacobians() throws {
        // One sample: log |det dz/dx| by central differences, against -sum(alpha) that the likelihood uses.
        let f = try FlowFixture(batch: 1)
        let dims = f.model.dimensions
        _ = try f.model.forward(f.x, text: f.text, textMask: f.textMask)
        let logDet = -f.model.blocks.reduce(0.0) { sum, block in sum + block.logScales.values.reduce(0.0) { $0 + Double($1) } }
        var jacobian = [[Double]](repeating: [Double](repeating: 0, count: dims), count: dims)
        let eps: Float = 1e-2
        for j in 0..<dims {
            let saved = f.x.pointer[j]
            f.x.pointer[j] = saved + eps
            let up = try f.model.forward(f.x, text: f.text, textMask: f.textMask).values
            f.x.pointer[j] = saved - eps
            let down = try f.model.forward(f.x, text: f.text, textMask: f.textMask).values
            f.x.pointer[j] = saved
            for i in 0..<dims { jacobian[i][j] = Double(up[i] - down[i]) / Double(2 * eps) }
        }
        let numeric = Self.logAbsDeterminant(jacobian)
        #expect(abs(numeric - logDet) < 2e-2 * max(1, abs(logDet)), "numeric \(numeric), model \(logDet)")
    }

    @Test func gradientsOfTheLikelihoodMatchFiniteDifferences() throws {
        let f = try FlowFixture()
        _ = try f.loss()
        f.model.zeroGrad()
        let dx = f.model.backward().values
        let dText = try #require(f.model.textGradient).values
        let named = f.model.namedParameters(prefix: "")
        var buffers = named.map { $0.1.value.buffer }, analytic = named.map { $0.1.grad.values }
        buffers += [f.x.buffer, f.text.buffer]
        analytic += [dx, dText]
        // atol 1e-3: the loss curves enough that central differences at eps 1e-2 miss small
        // gradients by a few 1e-4 (they converge on the analytic value as eps shrinks); the PyTorch
        // parity test below holds the block to 1e-4.
        let failures = GradientCheck.check(buffers, analytic: analytic, eps: 1e-2, rtol: 3e-2, atol: 1e-3, maxChecksPerInput: 16) {
            (try? f.loss()) ?? .nan
        }
        let labels = named.map(\.0) + ["x", "text"]
        let described = failures.prefix(12).map { failure -> String in
            guard let k = Int(failure.dropFirst(6).prefix { $0.isNumber }) else { return failure }
            return "\(labels[k]): \(failure)"
        }
        #expect(failures.isEmpty, "\(described.joined(separator: "\n"))")
        // The padded text token gets no gradient.
        let c = FlowFixture.config.textWidth
        #expect((dText[(4 + 3) * c ..< (4 + 4) * c].map(abs).max() ?? 1) < 1e-7)
    }

    @Test func guidanceWithEqualBranchesIsTheConditionalSample() throws {
        let f = try FlowFixture()
        let c = FlowFixture.config
        var rng = RandomGenerator(seed: 5)
        let z = Tensor(zeros: f.x.shape)
        rng.fillNormal(z)
        let plain = try f.model.sample(noise: z, text: f.text, textMask: f.textMask).values
        // Both branches read the same caption: any guidance gives the conditional sample.
        let doubled = Tensor(zeros: [4, 4, c.textWidth]), doubledMask = Tensor(zeros: [4, 4])
        for half in 0..<2 {
            (doubled.pointer + half * f.text.count).update(from: f.text.pointer, count: f.text.count)
            (doubledMask.pointer + half * f.textMask.count).update(from: f.textMask.pointer, count: f.textMask.count)
        }
        let guided = try f.model.sample(noise: z, text: doubled, textMask: doubledMask, guidance: 3).values
        #expect(zip(plain, guided).map { abs($0 - $1) }.max()! < 1e-5)
        // Guidance below 1 is refused where it enters.
        #expect(throws: ModelError.self) { try f.model.sample(noise: z, text: doubled, textMask: doubledMask, guidance: 0.5) }
    }

    @Test func aNewFlowIsTheIdentity() throws {
        let model = try TransformerFlow(config: FlowFixture.config)
        var rng = RandomGenerator(seed: 3)
        model.initialize(&rng)
        let f = try FlowFixture()
        let z = try model.forward(f.x, text: f.text, textMask: f.textMask).values
        #expect(z == f.x.values)
        // Standard-normal data under the identity: 0.5 * mean(x^2) + 0.5 * log(2 pi) nats per dimension.
        let expected = f.x.values.map { 0.5 * $0 * $0 }.reduce(0, +) / Float(f.x.count) + 0.5 * Float(log(2 * Double.pi))
        #expect(abs(model.negativeLogLikelihood() - expected) < 1e-5)
    }

    @Test func configRoundTripsAndRefusesWhatItCannotBuild() throws {
        let data = try JSONEncoder().encode(FlowFixture.config)
        #expect(try JSONDecoder().decode(FlowConfig.self, from: data) == FlowFixture.config)
        #expect(FlowFixture.config.parameterCount == (try TransformerFlow(config: FlowFixture.config)).parameterCount)
        for bad in [#"{"model_type": "mmdit"}"#, #"{"width": 30, "heads": 4}"#, #"{"deep_layers": 0}"#, #"{"log_scale_bound": -1}"#] {
            #expect(throws: ModelError.self) { try JSONDecoder().decode(FlowConfig.self, from: Data(bad.utf8)) }
        }
    }

    /// log |det A| by Gaussian elimination with partial pivoting.
    static func logAbsDeterminant(_ matrix: [[Double]]) -> Double {
        var a = matrix
        let n = a.count
        var total = 0.0
        for column in 0..<n {
            let pivot = (column..<n).max { abs(a[$0][column]) < abs(a[$1][column]) }!
            a.swapAt(column, pivot)
            let p = a[column][column]
            total += log(abs(p))
            for row in (column + 1)..<n {
                let factor = a[row][column] / p
                for k in column..<n { a[row][k] -= factor * a[column][k] }
            }
        }
        return total
    }
}

/// One flow block against the PyTorch reference of `scripts/make_flow_fixture.py` (float64 there):
/// z, the log-scales, and every gradient of sum(z * z_weight) + c * sum(alpha), for the deep block
/// (text prefix, raster order) and a shallow one (no text, reversed order).
@Suite struct FlowBlockParityTests {
    @Test(arguments: ["deep", "shallow"])
    func blockMatchesPyTorch(name: String) throws {
        let file = try ModelFixtures.file("flow_block", "\(name).safetensors")
        let readsText = file.contains("text")
        let block = FlowBlock(config: FlowFixture.config, layers: 2, reversed: !readsText, readsText: readsText)
        var parameters: [String: Tensor] = [:]
        for key in file.names where key.hasPrefix("param.") {
            parameters[String(key.dropFirst("param.".count))] = try ModelFixtures.tensor(file, key)
        }
        try block.load(parameters)
        let x = try ModelFixtures.tensor(file, "x")
        let text = readsText ? try ModelFixtures.tensor(file, "text") : nil
        let mask = readsText ? try ModelFixtures.tensor(file, "text_mask") : nil
        let z = block.forward(x, text: text, textMask: mask)
        #expect(ModelFixtures.relativeError(z, try ModelFixtures.tensor(file, "z")) < 1e-5)
        #expect(ModelFixtures.relativeError(block.logScales, try ModelFixtures.tensor(file, "log_scales")) < 1e-5)
        block.zeroGrad()
        let dx = block.backward(try ModelFixtures.tensor(file, "z_weight"), logScaleGradient: 0.37)
        #expect(ModelFixtures.relativeError(dx, try ModelFixtures.tensor(file, "x_grad")) < 1e-4)
        if readsText {
            let dText = try #require(block.textGradient)
            #expect(ModelFixtures.relativeError(dText, try ModelFixtures.tensor(file, "text_grad")) < 1e-4)
        }
        let named = block.namedParameters(prefix: "")
        #expect(Set(named.map(\.0)) == Set(parameters.keys))
        // The key bias's gradient is zero up to rounding (softmax ignores a per-query shift): errors
        // are relative to at least 1e-3 of the largest parameter gradient, as in GradientParityTests.
        let largest = try file.names.filter { $0.hasPrefix("grad.") }.map { try file.floats($0).map(abs).max() ?? 0 }.max() ?? 0
        for (key, p) in named {
            let error = ModelFixtures.relativeError(p.grad, try ModelFixtures.tensor(file, "grad." + key), floor: 1e-3 * largest)
            #expect(error < 1e-4, "\(name) \(key): relative error \(error)")
        }
    }
}
