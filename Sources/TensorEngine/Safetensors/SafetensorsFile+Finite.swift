/// Reads that refuse NaN and infinities: model weights from a diverged run or a damaged file would
/// otherwise load and turn every output into NaN (a black image, not an error).
extension SafetensorsFile {
    /// `copyFloats`, then throws `nonFiniteValue` naming the tensor, the first bad element and how
    /// many there are, if any value is NaN or infinite (F16/BF16 infinities and NaNs included).
    public func copyFiniteFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
        try copyFloats(name, into: destination)
        let values = UnsafeBufferPointer(destination)
        let bad = Self.nonFiniteCount(values)
        guard bad > 0 else { return }
        let first = values.firstIndex { !$0.isFinite }!
        let shape = (try? info(name).shape) ?? [values.count]
        throw SafetensorsError(.nonFiniteValue,
                               "\(bad) of its \(values.count) values are NaN or infinite (shape \(shape)); the first, at flat index \(first), is \(values[first])",
                               path: url.path, tensor: name)
    }

    /// How many values are NaN or infinite; a branch-free count, so a loaded model costs one pass.
    static func nonFiniteCount(_ values: UnsafeBufferPointer<Float>) -> Int {
        var count = 0
        for v in values { count &+= v.isFinite ? 0 : 1 }
        return count
    }
}
