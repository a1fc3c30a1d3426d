import Foundation
import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct TensorBasics {
        @Test func reshapeAndSliceAreViews() throws {
            let t = try Tensor(shape: [2, 3, 2], values: (0..<12).map(Float.init))
            let r = t.reshaped([6, -1])
            #expect(r.shape == [6, 2])
            #expect(r.sharesBuffer(with: t))
            let s = t.slice(first: 1..<2)
            #expect(s.shape == [1, 3, 2])
            #expect(s.values == [6, 7, 8, 9, 10, 11])
            #expect(t[1, 2, 1] == 11)
        }

        @Test func wrongValueCountThrows() {
            #expect(throws: TensorEngineError.self) { try Tensor(shape: [2, 2], values: [1, 2, 3]) }
        }

        @Test func slotReusesStorage() {
            let slot = TensorSlot()
            let a = slot.tensor([4, 8])
            let b = slot.tensor([4, 8])
            #expect(a.sharesBuffer(with: b))
            let c = slot.tensor([2, 8])          // smaller: same storage
            #expect(c.storage === a.storage)
        }

        @Test func goldenRandomValues() {
            var rng = RandomGenerator(seed: 42)
            let u = (0..<4).map { _ in rng.uniform() }
            let n = (0..<4).map { _ in rng.normal() }
            // Pinned: any change to the generator changes every initial weight and noise sample.
            #expect(u == GoldenRNG.uniform)
            #expect(n == GoldenRNG.normal)
            var a = RandomGenerator(seed: 7), b = RandomGenerator(seed: 7)
            #expect((0..<100).map { _ in a.nextUInt64() } == (0..<100).map { _ in b.nextUInt64() })
        }

        @Test func normalMoments() {
            var rng = RandomGenerator(seed: 1)
            let n = 100_000
            var s = 0.0, s2 = 0.0
            for _ in 0..<n { let v = Double(rng.normal()); s += v; s2 += v * v }
            #expect(abs(s / Double(n)) < 0.02)
            #expect(abs(s2 / Double(n) - 1) < 0.02)
        }

        @Test func threadSettingsResolution() throws {
            #expect(ThreadSettings.resolve(option: 3, environment: ["FAE_T2I_THREADS": "5"]) == 3)
            #expect(ThreadSettings.resolve(option: nil, environment: ["FAE_T2I_THREADS": "5"]) == 5)
            #expect(ThreadSettings.resolve(option: nil, environment: ["FAE_T2I_THREADS": "zero"]) == ThreadSettings.defaultThreads)
            #expect(throws: TensorEngineError.self) { try ThreadSettings.parse("-1") }
        }

        @Test func fastMathAccuracy() {
            var maxErf = 0.0, maxExp = 0.0
            var x = -9.0
            while x < 9 {
                let xf = Float(x)
                maxErf = max(maxErf, abs(Double(FastMath.erf(xf)) - Foundation.erf(Double(xf))))
                let e = Foundation.exp(Double(xf))
                maxExp = max(maxExp, abs(Double(FastMath.exp(xf)) - e) / e)
                x += 0.001
            }
            #expect(maxErf < 5e-7)
            #expect(maxExp < 3e-7)
        }
    }
}

/// Golden values of `RandomGenerator(seed: 42)`: four uniforms, then four normals.
enum GoldenRNG {
    static let uniform: [Float] = [0.08386296, 0.37898022, 0.6800434, 0.9246929]
    static let normal: [Float] = [0.015871294, -0.12730993, 0.4772168, -0.6567593]
}
