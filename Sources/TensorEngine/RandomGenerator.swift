import Foundation

/// Seeded, platform-independent RNG (xoshiro256** seeded through SplitMix64). The same seed gives the
/// same stream on every machine, so initial weights and noise are reproducible; golden values are
/// pinned in the tests.
public struct RandomGenerator {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareNormal: Float?

    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    @inline(__always)
    public mutating func nextUInt64() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 24 random bits (every value exactly representable as Float).
    @inline(__always)
    public mutating func uniform() -> Float { Float(nextUInt64() >> 40) * 0x1p-24 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * uniform() }

    /// Standard normal by Box-Muller (computed in Double, one spare kept for the next call).
    public mutating func normal() -> Float {
        if let spare = spareNormal { spareNormal = nil; return spare }
        // 53-bit uniform in (0, 1] so log never sees 0.
        let u1 = Double((nextUInt64() >> 11) + 1) * 0x1p-53
        let u2 = Double(nextUInt64() >> 11) * 0x1p-53
        let r = (-2 * Foundation.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = Float(r * Foundation.sin(theta))
        return Float(r * Foundation.cos(theta))
    }

    /// Fills `t` with N(mean, std^2).
    public mutating func fillNormal(_ t: Tensor, mean: Float = 0, std: Float = 1) {
        let p = t.pointer
        for i in 0..<t.count { p[i] = mean + std * normal() }
    }

    /// Fills `t` with U[low, high).
    public mutating func fillUniform(_ t: Tensor, low: Float = 0, high: Float = 1) {
        let p = t.pointer
        for i in 0..<t.count { p[i] = uniform(low, high) }
    }

    /// Fills `t` with a normal truncated to [-2 std, 2 std] by resampling (ViT-style init).
    public mutating func fillTruncatedNormal(_ t: Tensor, std: Float) {
        let p = t.pointer
        for i in 0..<t.count {
            var v = normal()
            while abs(v) > 2 { v = normal() }
            p[i] = v * std
        }
    }
}
