/// Vectorised transcendental functions on SIMD8<Float> for the activation hot loops. libm's scalar
/// `expf`/`erff` do not vectorise and would cost more than the GEMMs around them.
/// Accuracy (checked in the tests): exp relative error < 1e-7 (Cephes), erf absolute error < 5e-7.
public enum FastMath {
    public typealias V = SIMD8<Float>

    @inline(__always)
    public static func load(_ p: UnsafePointer<Float>) -> V {
        UnsafeRawPointer(p).loadUnaligned(as: V.self)
    }

    @inline(__always)
    public static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
    }

    /// Loads up to 8 floats (missing lanes are 0) for loop tails.
    @inline(__always)
    public static func loadPartial(_ p: UnsafePointer<Float>, _ n: Int) -> V {
        var v = V(repeating: 0)
        for i in 0..<n { v[i] = p[i] }
        return v
    }

    @inline(__always)
    public static func storePartial(_ v: V, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { p[i] = v[i] }
    }

    /// e^x, Cephes expf polynomial with the exponent built from the rounded integer part.
    @inline(__always)
    public static func exp(_ x: V) -> V {
        // Clamp with compare+select: `clamped(lowerBound:upperBound:)` is not vectorised.
        var x = x
        x = x.replacing(with: -87.3, where: x .< -87.3)
        x = x.replacing(with: 88.3, where: x .> 88.3)
        // Adding 1.5*2^23 rounds to an integer held in the low mantissa bits.
        let magic = V(repeating: 12582912)
        let t = x * 1.442695040888963 + magic
        let n = t - magic
        var r = x - n * 0.693359375
        r = r - n * -2.12194440e-4
        var p = V(repeating: 1.9875691500e-4)
        p = p * r + 1.3981999507e-3
        p = p * r + 8.3334519073e-3
        p = p * r + 4.1665795894e-2
        p = p * r + 1.6666665459e-1
        p = p * r + 5.0000001201e-1
        p = p * (r * r) + r + 1
        let bits = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
        let scale = unsafeBitCast((bits &+ 127) &<< 23, to: V.self)
        return p * scale
    }

    /// 1 / (1 + e^-x)
    @inline(__always)
    public static func sigmoid(_ x: V) -> V { 1 / (1 + exp(-x)) }

    /// tanh(x) = 1 - 2 / (e^{2x} + 1); saturates correctly because exp is clamped.
    @inline(__always)
    public static func tanh(_ x: V) -> V { 1 - 2 / (exp(x + x) + 1) }

    /// erf(x) as a rational function of x^2 (Eigen's `generic_fast_erf_float`): no exp, a dozen
    /// multiply-adds and one division; erf is within 1 ulp of +-1 beyond |x| = 4.
    @inline(__always)
    public static func erf(_ x: V) -> V {
        var x = x
        x = x.replacing(with: -4, where: x .< -4)
        x = x.replacing(with: 4, where: x .> 4)
        let x2 = x * x
        var p = x2 * -2.72614225801306e-10 + 2.77068142495902e-08
        p = p * x2 + -2.10102402082508e-06
        p = p * x2 + -5.69250639462346e-05
        p = p * x2 + -7.34990630326855e-04
        p = p * x2 + -2.95459980854025e-03
        p = p * x2 + -1.60960333262415e-02
        p = p * x
        var q = x2 * -1.45660718464996e-05 + -2.13374055278905e-04
        q = q * x2 + -1.68282697438203e-03
        q = q * x2 + -7.37332916720468e-03
        q = q * x2 + -1.42647390514189e-02
        return p / q
    }

    /// Load/store of `n` <= 8 lanes (full vector when n == 8).
    @inline(__always)
    public static func get(_ p: UnsafePointer<Float>, _ n: Int) -> V { n == 8 ? load(p) : loadPartial(p, n) }

    @inline(__always)
    public static func put(_ v: V, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
        if n == 8 { store(v, p) } else { storePartial(v, p, n) }
    }

    @inline(__always) public static func exp(_ x: Float) -> Float { exp(V(repeating: x))[0] }
    @inline(__always) public static func erf(_ x: Float) -> Float { erf(V(repeating: x))[0] }
    @inline(__always) public static func tanh(_ x: Float) -> Float { tanh(V(repeating: x))[0] }
    @inline(__always) public static func sigmoid(_ x: Float) -> Float { sigmoid(V(repeating: x))[0] }

    /// Sum of n floats with 8 independent accumulators (a scalar loop cannot be reassociated, so it
    /// would run at one add per 4 cycles).
    @inline(__always)
    public static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(repeating: 0)
        var i = 0
        while i + 8 <= n { acc += load(p + i); i += 8 }
        var s = acc.sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    /// Dot product of n floats.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(repeating: 0)
        var i = 0
        while i + 8 <= n { acc += load(a + i) * load(b + i); i += 8 }
        var s = acc.sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Sum of (p[i] - m)^2.
    @inline(__always)
    public static func sumSquaredDeviation(_ p: UnsafePointer<Float>, _ n: Int, _ m: Float) -> Float {
        var acc = V(repeating: 0)
        let mv = V(repeating: m)
        var i = 0
        while i + 8 <= n { let d = load(p + i) - mv; acc += d * d; i += 8 }
        var s = acc.sum()
        while i < n { s += (p[i] - m) * (p[i] - m); i += 1 }
        return s
    }

    /// Applies `f` to 8-lane chunks of 0..<count: `f(offset, lanes)` with lanes == 8 except the tail.
    @inline(__always)
    public static func forEachChunk(_ range: Range<Int>, _ f: (Int, Int) -> Void) {
        var i = range.lowerBound
        while i + 8 <= range.upperBound { f(i, 8); i += 8 }
        if i < range.upperBound { f(i, range.upperBound - i) }
    }
}
