/// Vectorised transcendental functions on SIMD8<Float> for the activation hot loops. libm's scalar
/// `expf`/`erff` do not vectorise and would cost more than the GEMMs around them.
/// Accuracy: exp ~2 ulp (Cephes), erf absolute error < 2e-7 (Abramowitz-Stegun 7.1.26).
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
        let x = x.clamped(lowerBound: V(repeating: -87.3), upperBound: V(repeating: 88.3))
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

    /// erf(x), Abramowitz-Stegun 7.1.26.
    @inline(__always)
    public static func erf(_ x: V) -> V {
        let ax = x.replacing(with: -x, where: x .< 0)
        let t = 1 / (1 + 0.3275911 * ax)
        var y = V(repeating: 1.061405429)
        y = y * t - 1.453152027
        y = y * t + 1.421413741
        y = y * t - 0.284496736
        y = y * t + 0.254829592
        let e: V = exp(-(ax * ax))
        y = 1 - y * t * e
        return y.replacing(with: -y, where: x .< 0)
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

    /// Applies `f` to 8-lane chunks of 0..<count: `f(offset, lanes)` with lanes == 8 except the tail.
    @inline(__always)
    public static func forEachChunk(_ range: Range<Int>, _ f: (Int, Int) -> Void) {
        var i = range.lowerBound
        while i + 8 <= range.upperBound { f(i, 8); i += 8 }
        if i < range.upperBound { f(i, range.upperBound - i) }
    }
}
