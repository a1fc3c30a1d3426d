import Foundation
import Testing
import Models
import Generation
import Sampler
import TensorEngine
import TestSupport

/// Sampler behaviour: exactness on analytic fields, determinism per seed, batching, CFG interval,
/// cancellation.
@Suite struct FlowSamplerTests {
    static func condition(_ value: Float, rows: Int = 1, tokens: Int = 2, width: Int = 4) throws -> TextCondition {
        let h = Tensor(zeros: [rows, tokens, width])
        h.fill(value)
        let m = Tensor(zeros: [rows, tokens])
        m.fill(1)
        return try TextCondition(hidden: h, mask: m)
    }

    @Test(arguments: [1, 3, 25]) func eulerLandsOnTargetOfStraightField(steps: Int) throws {
        var rng = RandomGenerator(seed: 3)
        let z = Tensor(zeros: [4, 3])
        rng.fillNormal(z)
        let sampler = FlowSampler(model: StraightLineModel(target: z),
                                  configuration: .init(steps: steps, guidanceScale: 1, shift: 2.5))
        let x = try sampler.sample(seeds: [1, 2], prompt: try Self.condition(0), negative: try Self.condition(0))
        for b in 0 ..< 2 {
            #expect(Tolerance.compare(Array(x.values[b * 12 ..< (b + 1) * 12]), z.values, rtol: 1e-4, atol: 1e-4) == nil)
        }
    }

    /// dx/dt = k x + c from t = 1 to 0: x(0) = (x1 + c/k) e^{-k} - c/k. Heun (second order) is far
    /// closer than Euler at the same step count.
    @Test func heunIsAccurateOnSmoothField() throws {
        let k: Float = 1.3, c: Float = 0.4
        func run(_ method: SamplerMethod, steps: Int) throws -> (Float, [Float]) {
            let sampler = FlowSampler(model: LinearFieldModel(k: k),
                                      configuration: .init(steps: steps, method: method, guidanceScale: 1, shift: 1))
            let x = try sampler.sample(seeds: [5], prompt: try Self.condition(c), negative: try Self.condition(c)).values
            let noise = Tensor(zeros: [1, 2, 3])
            sampler.initialNoise(seeds: [5], into: noise)
            let exact = noise.values.map { ($0 + c / k) * Foundation.exp(-k) - c / k }
            return (zip(x, exact).map { abs($0 - $1) }.max() ?? 0, exact)
        }
        let (heunError, _) = try run(.heun, steps: 20)
        let (eulerError, _) = try run(.euler, steps: 20)
        #expect(heunError < 2e-3, "Heun error \(heunError)")
        #expect(heunError * 5 < eulerError, "Heun \(heunError) vs Euler \(eulerError)")
    }

    /// v_c = 1, v_u = 0 (field k = 0): guided velocity is w inside [0, t_hi], 1 above; guided steps
    /// run one forward of batch 2B, the others batch B.
    @Test func guidanceOnlyInsideInterval() throws {
        let steps = 10, w = 1.5, tHi = 0.5, shift = 1.0
        let model = LinearFieldModel(k: 0)
        let sampler = FlowSampler(model: model, configuration: .init(steps: steps, guidanceScale: w, guidanceMaxTime: tHi, shift: shift))
        let x = try sampler.sample(seeds: [7, 8], prompt: try Self.condition(1), negative: try Self.condition(0)).values
        let grid = FlowMatching.timeGrid(steps: steps, shift: shift)
        var displacement = 0.0
        var expectedBatches: [Int] = []
        for i in 0 ..< steps {
            let guided = grid[i] <= tHi + 1e-9
            displacement += (grid[i + 1] - grid[i]) * (guided ? w : 1)
            expectedBatches.append(guided ? 4 : 2)
        }
        #expect(model.batchSizes == expectedBatches)
        let noise = Tensor(zeros: [2, 2, 3])
        sampler.initialNoise(seeds: [7, 8], into: noise)
        #expect(Tolerance.compare(x, noise.values.map { $0 + Float(displacement) }, rtol: 1e-5, atol: 1e-5) == nil)
    }

    @Test func progressIsReportedAndThrowingCancels() throws {
        struct Cancelled: Error {}
        let sampler = FlowSampler(model: LinearFieldModel(k: 0.5), configuration: .init(steps: 6, method: .heun))
        var seen: [String] = []
        _ = try sampler.sample(seeds: [1], prompt: try Self.condition(1), negative: try Self.condition(0)) { seen.append("\($0)/\($1)") }
        #expect(seen == (1 ... 6).map { "\($0)/6" })
        var calls = 0
        #expect(throws: Cancelled.self) {
            _ = try sampler.sample(seeds: [1], prompt: try Self.condition(1), negative: try Self.condition(0)) { step, _ in
                calls += 1
                if step == 3 { throw Cancelled() }
            }
        }
        #expect(calls == 3)
    }

    /// A tiny random MMDiT: same seeds -> same latents; image i is the same alone or in a batch;
    /// the sampler's buffers are reused between calls.
    @Test func deterministicPerSeedAndBatchIndependent() throws {
        let cfg = MMDiTConfig(width: 16, depth: 2, heads: 2, latentChannels: 3, gridHeight: 2, gridWidth: 2,
                              textWidth: 4, maxTextTokens: 2, mlpRatio: 2, timestepEmbeddingDim: 8)
        let model = try MMDiT(config: cfg)
        model.initialize(seed: 1)
        var rng = RandomGenerator(seed: 2)
        for p in model.parameters { rng.fillNormal(p.value, std: 0.2) }
        let prompt = try TextCondition(hidden: Tensor(zeros: [3, 2, 4]), mask: Tensor(zeros: [3, 2]))
        rng.fillNormal(prompt.hidden); prompt.mask.fill(1)
        let negative = try Self.condition(0)
        let sampler = FlowSampler(model: model, configuration: .init(steps: 5, method: .heun))
        let batch = try sampler.sample(seeds: [11, 12, 13], prompt: prompt, negative: negative)
        let batchValues = batch.values
        let again = try sampler.sample(seeds: [11, 12, 13], prompt: prompt, negative: negative)
        #expect(again.values == batchValues)
        #expect(again.sharesBuffer(with: batch))
        let per = cfg.imageTokens * cfg.latentChannels
        for i in 0 ..< 3 {
            let single = try TextCondition(hidden: prompt.hidden.slice(first: i ..< i + 1), mask: prompt.mask.slice(first: i ..< i + 1))
            let alone = try sampler.sample(seeds: [UInt64(11 + i)], prompt: single, negative: negative).values
            #expect(Tolerance.compare(alone, Array(batchValues[i * per ..< (i + 1) * per]), rtol: 1e-4, atol: 1e-5) == nil)
        }
        #expect(batchValues.allSatisfy { $0.isFinite })
        // Different seeds give different images.
        #expect(batchValues[0 ..< per] != batchValues[per ..< 2 * per])
    }

    @Test func rejectsMismatchedConditioning() throws {
        let sampler = FlowSampler(model: LinearFieldModel(k: 0))
        #expect(throws: SamplerError.self) {
            _ = try sampler.sample(seeds: [1, 2, 3], prompt: try Self.condition(1, rows: 2), negative: try Self.condition(0))
        }
        #expect(throws: SamplerError.self) {
            _ = try sampler.sample(seeds: [1], prompt: try Self.condition(1, tokens: 3), negative: try Self.condition(0))
        }
    }
}
