/// The checks every model config shares. Each failure is one `ModelError(.unsupportedConfiguration)`
/// naming the key, its value and the limit, e.g. `grid_height = 3000000000 exceeds the limit 4096`;
/// `HuggingFaceCheckpoint.config` puts the file's path in front.
public enum ConfigValidation {
    /// An integer size in `min...max`.
    public static func size(_ key: String, _ value: Int, min: Int = 1, max: Int) throws {
        if value < min { throw failure("\(key) = \(value) is below the minimum \(min)") }
        if value > max { throw failure("\(key) = \(value) exceeds the limit \(max)") }
    }

    /// A finite number in `min...max`, or in `min<..max` when `exclusiveMin` (e.g. a ratio above 0).
    public static func number(_ key: String, _ value: Double, min: Double, max: Double, exclusiveMin: Bool = false) throws {
        guard value.isFinite else { throw failure("\(key) = \(value) is not a finite number") }
        if exclusiveMin ? value <= min : value < min {
            throw failure("\(key) = \(value) must be \(exclusiveMin ? "above" : "at least") \(min)")
        }
        if value > max { throw failure("\(key) = \(value) exceeds the limit \(max)") }
    }

    /// The product of named sizes, at most `max` (multiplied with overflow checks, so a product
    /// beyond `Int` is refused rather than wrapped); returns it.
    @discardableResult
    public static func product(_ factors: [(key: String, value: Int)], max: Int) throws -> Int {
        var product = 1, overflow = false
        for factor in factors where !overflow {
            (product, overflow) = product.multipliedReportingOverflow(by: factor.value)
        }
        let keys = factors.map(\.key).joined(separator: " * ")
        if overflow {
            let values = factors.map { String($0.value) }.joined(separator: " * ")
            throw failure("\(keys) = \(values) overflows; the limit is \(max)")
        }
        if product > max { throw failure("\(keys) = \(product) exceeds the limit \(max)") }
        return product
    }

    /// `value` is a multiple of `divisor`, e.g. a width split into heads.
    public static func multiple(_ key: String, _ value: Int, of divisorKey: String, _ divisor: Int) throws {
        guard divisor > 0, value % divisor == 0 else {
            throw failure("\(key) = \(value) must be a multiple of \(divisorKey) = \(divisor)")
        }
    }

    /// The memory a part takes for `parameters` (value and gradient, 8 bytes each) and
    /// `tableValues` other floats (rotary tables), at most `ConfigLimits.maxModelBytes`.
    /// `sizes` names the keys that set it, for the message.
    public static func memory(parameters: Int, tableValues: Int = 0, sizes: String, part: String) throws {
        let (parameterBytes, o1) = parameters.multipliedReportingOverflow(by: 8)
        let (tableBytes, o2) = tableValues.multipliedReportingOverflow(by: 4)
        let (bytes, o3) = parameterBytes.addingReportingOverflow(tableBytes)
        let limit = ConfigLimits.maxModelBytes
        guard o1 || o2 || o3 || bytes > limit else { return }
        let needed = o1 || o2 || o3 ? "more than \(Int.max) bytes" : gibibytes(bytes)
        throw failure("\(sizes) give the \(part) \(parameters == .max ? "over \(Int.max)" : String(parameters)) parameters: "
                      + "\(needed) with their gradients exceeds the limit \(gibibytes(limit))")
    }

    public static func failure(_ message: String) -> ModelError {
        ModelError(.unsupportedConfiguration, message)
    }

    private static func gibibytes(_ bytes: Int) -> String {
        let g = Double(bytes) / Double(1 << 30)
        return g == g.rounded() ? "\(Int(g)) GiB" : "\((g * 100).rounded() / 100) GiB"
    }
}
