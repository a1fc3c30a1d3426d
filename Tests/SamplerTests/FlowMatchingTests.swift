import Foundation
import Testing
import Sampler
import TensorEngine
import TestSupport

@Suite struct FlowMatchingTests {
    @Test func interpolationAndTarget() throws {
        let z = try Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        let eps = try Tensor(shape: [2, 2], values: [0, -1, 1, 0])
        let t = try Tensor(shape: [2], values: [0.25, 1])
        let xt = Tensor(zeros: [2, 2]), v = Tensor(zeros: [2, 2])
        FlowMatching.interpolate(latents: z, noise: eps, timesteps: t, xt: xt, target: v)
        #expect(xt.values == [0.75, 1.25, 1, 0])
        #expect(v.values == [-1, -3, -2, -4])
    }

    @Test func shiftRuleAndGrid() {
        #expect(FlowMatching.shift(forTokens: 64, channels: 16) == 0.5)
        #expect(FlowMatching.shift(forTokens: 256, channels: 32) == (8192.0 / 4096).squareRoot())
        #expect(FlowMatching.shift(forTokens: 64, channels: 16, override: 2.5) == 2.5)
        #expect(abs(FlowMatching.shifted(0.5, shift: 3) - 0.75) < 1e-12)
        let grid = FlowMatching.timeGrid(steps: 8, shift: 2.5)
        #expect(grid.first == 1 && grid.last == 0 && grid.count == 9)
        #expect(zip(grid, grid.dropFirst()).allSatisfy { $0 > $1 })
    }

    /// Logit-normal times lie in (0, 1); a shift a > 1 moves their median to a/(1+a) (the median of
    /// sigmoid(N(0,1)) is 1/2).
    @Test func logitNormalTimesWithShift() {
        var rng = RandomGenerator(seed: 4)
        let t = Tensor(zeros: [4001])
        FlowMatching.sampleTimesteps(into: t, shift: 3, rng: &rng)
        let sorted = t.values.sorted()
        #expect(sorted.first! > 0 && sorted.last! < 1)
        #expect(abs(sorted[2000] - 0.75) < 0.03)
    }

    @Test func latentStatisticsRoundTrip() throws {
        var rng = RandomGenerator(seed: 5)
        let z = Tensor(zeros: [50, 4, 3])
        rng.fillNormal(z, mean: 2, std: 3)
        let original = z.values
        let stats = try LatentStatistics.estimate(from: z)
        try stats.normalize(z)
        let n = try LatentStatistics.estimate(from: z)
        #expect(n.mean.allSatisfy { abs($0) < 1e-4 } && n.std.allSatisfy { abs($0 - 1) < 1e-3 })
        try stats.denormalize(z)
        #expect(Tolerance.compare(z.values, original, rtol: 1e-5, atol: 1e-5) == nil)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try stats.save(directory: dir)
        #expect(try LatentStatistics.load(directory: dir) == stats)
        #expect(throws: SamplerError.self) { try LatentStatistics(mean: [0, 0], std: [1, 0]) }
        #expect(throws: SamplerError.self) { try stats.normalize(Tensor(zeros: [2, 5])) }
    }
}
