/// An element type named in a safetensors header.
///
/// All dtypes of the format are known so that any valid file can be opened and checked; only
/// `f32`, `f16`, `bf16`, `i64` and `i32` can be read as numbers (the others are reported as
/// unsupported, by name, when accessed).
public enum SafetensorsDType: String, CaseIterable, Sendable, CustomStringConvertible {
    // Declared in the order of the reference implementation's `Dtype` enum (safetensors 0.8):
    // its writer sorts tensors by this order, descending, so `serializationRank` depends on it.
    case bool = "BOOL"
    case f4 = "F4"
    case f6E2M3 = "F6_E2M3"
    case f6E3M2 = "F6_E3M2"
    case u8 = "U8"
    case i8 = "I8"
    case f8E5M2 = "F8_E5M2"
    case f8E4M3 = "F8_E4M3"
    case f8E8M0 = "F8_E8M0"
    case f8E4M3FNUZ = "F8_E4M3FNUZ"
    case f8E5M2FNUZ = "F8_E5M2FNUZ"
    case i16 = "I16"
    case u16 = "U16"
    case f16 = "F16"
    case bf16 = "BF16"
    case i32 = "I32"
    case u32 = "U32"
    case f32 = "F32"
    case c64 = "C64"
    case f64 = "F64"
    case i64 = "I64"
    case u64 = "U64"

    /// The name used in the header, e.g. `F32`.
    public var name: String { rawValue }
    public var description: String { rawValue }

    /// Bits per element (F4 and F6 are packed below a byte).
    public var bitWidth: Int {
        switch self {
        case .f4: return 4
        case .f6E2M3, .f6E3M2: return 6
        case .bool, .u8, .i8, .f8E5M2, .f8E4M3, .f8E8M0, .f8E4M3FNUZ, .f8E5M2FNUZ: return 8
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .c64, .f64, .i64, .u64: return 64
        }
    }

    /// Whether this engine can read the values (as Float or integers).
    public var isSupported: Bool {
        switch self {
        case .f32, .f16, .bf16, .i64, .i32: return true
        default: return false
        }
    }

    /// Position in the reference writer's order; larger ranks are written first.
    var serializationRank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// Bytes taken by `count` elements, or nil on overflow or a partial trailing byte
    /// (the reference implementation rejects both).
    func byteCount(elements count: Int) -> Int? {
        let (bits, overflow) = count.multipliedReportingOverflow(by: bitWidth)
        if overflow || bits % 8 != 0 { return nil }
        return bits / 8
    }
}
