import Foundation
import Testing
import TensorEngine

@Suite struct SafetensorsHalfPrecisionTests {
    /// Bit patterns of torch's `.to(float16)` / `.to(bfloat16)` and back, for edge cases
    /// (ties, subnormals, overflow, infinities) and random magnitudes over 1e-8 ... 1e8.
    @Test func matchesTorchRounding() throws {
        let file = try SafetensorsFile(url: SafetensorsFixtures.url("conversions/float_conversions.safetensors"))
        let input = try file.floats("input")
        let f16 = try file.withUnsafeBytes("f16") { raw in (0 ..< input.count).map { raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self) } }
        let bf16 = try file.withUnsafeBytes("bf16") { raw in (0 ..< input.count).map { raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self) } }
        for (i, x) in input.enumerated() {
            #expect(HalfPrecision.f16Bits(x) == f16[i], "f16 of \(x)")
            #expect(HalfPrecision.bf16Bits(x) == bf16[i], "bf16 of \(x)")
        }
        let back16 = try file.floats("f16_to_f32"), backBF = try file.floats("bf16_to_f32")
        #expect(try file.floats("f16") == back16)
        #expect(try file.floats("bf16") == backBF)
    }

    @Test func specialValues() {
        #expect(HalfPrecision.f16Bits(.infinity) == 0x7C00)
        #expect(HalfPrecision.f16Bits(-.infinity) == 0xFC00)
        #expect(HalfPrecision.float(fromF16: HalfPrecision.f16Bits(.nan)).isNaN)
        #expect(HalfPrecision.float(fromBF16: HalfPrecision.bf16Bits(.nan)).isNaN)
        #expect(HalfPrecision.float(fromBF16: HalfPrecision.bf16Bits(-.nan)).isNaN)
        #expect(HalfPrecision.float(fromF16: 0x7E01).isNaN)
        #expect(HalfPrecision.bf16Bits(.infinity) == 0x7F80)
        #expect(HalfPrecision.bf16Bits(Float.greatestFiniteMagnitude) == 0x7F80)  // rounds up to inf, as torch
        #expect(HalfPrecision.f16Bits(65520) == 0x7C00 && HalfPrecision.f16Bits(65519.996) == 0x7BFF)
        #expect(HalfPrecision.f16Bits(-0.0) == 0x8000)
        // Subnormals: smallest, ties to even at half of it and at 1.5 units.
        #expect(HalfPrecision.f16Bits(0x1p-24) == 0x0001)
        #expect(HalfPrecision.f16Bits(0x1p-25) == 0x0000)
        #expect(HalfPrecision.f16Bits(0x1.8p-24) == 0x0002)
        #expect(HalfPrecision.float(fromF16: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.float(fromF16: 0x83FF) == -0x1.ff8p-15)
        // bfloat16 keeps float32 subnormals.
        #expect(HalfPrecision.float(fromBF16: HalfPrecision.bf16Bits(0x1p-130)) == 0x1p-130)
        #expect(HalfPrecision.bf16Bits(0x1p-140) == 0)  // below the smallest bfloat16 subnormal (2^-133)
    }

    @Test func everyHalfRoundTrips() {
        for bits in 0 ... UInt16.max {
            let f16 = HalfPrecision.float(fromF16: bits)
            if f16.isNaN { continue }
            #expect(HalfPrecision.f16Bits(f16) == bits)
            let bf = HalfPrecision.float(fromBF16: bits)
            if !bf.isNaN { #expect(HalfPrecision.bf16Bits(bf) == bits) }
        }
    }
}
