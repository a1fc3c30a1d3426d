/// float16 and bfloat16 <-> float32, bit-exact with PyTorch.
///
/// Conversions to half precision round to nearest, ties to even, as torch's `.to(float16)` and
/// `.to(bfloat16)` do; overflow gives infinity, NaN stays NaN (quiet). Written with integer bit
/// manipulation rather than `Float16` so that behaviour does not depend on the platform.
public enum HalfPrecision {
    // MARK: float16 (IEEE binary16: 1 sign, 5 exponent, 10 mantissa bits)

    @inlinable
    public static func float(fromF16 bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits) & 0x3FF
        if exponent == 0 {
            // Zero or subnormal: mantissa * 2^-24, exact in float32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    @inlinable
    public static func f16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        let mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            // Infinity keeps its sign; any NaN becomes the canonical quiet NaN (as torch does).
            return mantissa == 0 ? sign | 0x7C00 : sign | 0x7E00
        }
        if exponent >= 143 {  // |value| >= 2^16: beyond the largest finite half even after rounding
            return sign | 0x7C00
        }
        if exponent >= 113 {  // normal half: keep 10 of 23 mantissa bits, round the other 13
            var result = UInt32(exponent - 112) << 10 | (mantissa >> 13)
            let rest = mantissa & 0x1FFF
            if rest > 0x1000 || (rest == 0x1000 && result & 1 == 1) { result += 1 }  // may carry into inf
            return sign | UInt16(result)
        }
        if exponent < 102 {  // below half the smallest subnormal (2^-25): rounds to zero
            return sign
        }
        // Subnormal half: the value is m * 2^(exponent - 150) with the implicit bit in m; in units of
        // 2^-24 that is m >> (126 - exponent), with the shifted-out bits rounded.
        let full = mantissa | 0x80_0000
        let shift = UInt32(126 - exponent)  // 14 ... 24
        var result = full >> shift
        let rest = full & ((1 << shift) - 1)
        let half = UInt32(1) << (shift - 1)
        if rest > half || (rest == half && result & 1 == 1) { result += 1 }
        return sign | UInt16(result)
    }

    // MARK: bfloat16 (the upper 16 bits of a float32)

    @inlinable
    public static func float(fromBF16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    @inlinable
    public static func bf16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return 0x7FC0 }  // torch's canonical bfloat16 NaN
        let rounding = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    // MARK: bulk conversion (hot loops on raw buffers)

    /// Converts little-endian float16 bytes to Float; `destination.count` elements are read.
    public static func convertF16(_ source: UnsafeRawBufferPointer, to destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count >= destination.count * 2)
        for i in 0 ..< destination.count {
            destination[i] = float(fromF16: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    }

    /// Converts little-endian bfloat16 bytes to Float; `destination.count` elements are read.
    public static func convertBF16(_ source: UnsafeRawBufferPointer, to destination: UnsafeMutableBufferPointer<Float>) {
        precondition(source.count >= destination.count * 2)
        for i in 0 ..< destination.count {
            destination[i] = float(fromBF16: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
        }
    }

    /// Float to float16 bits, rounding to nearest even.
    public static func f16Bits(_ values: [Float]) -> [UInt16] { values.map(f16Bits) }

    /// Float to bfloat16 bits, rounding to nearest even.
    public static func bf16Bits(_ values: [Float]) -> [UInt16] { values.map(bf16Bits) }
}
