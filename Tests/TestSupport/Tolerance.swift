/// Tolerance comparisons for float arrays; return a message on failure (nil when close).
public enum Tolerance {
    /// Every |a - b| <= atol + rtol * |b|.
    public static func compare(_ a: [Float], _ b: [Float], rtol: Float = 1e-4, atol: Float = 1e-5) -> String? {
        guard a.count == b.count else { return "count \(a.count) vs \(b.count)" }
        for i in 0..<a.count where !(abs(a[i] - b[i]) <= atol + rtol * abs(b[i])) {
            return "element \(i): \(a[i]) vs \(b[i]) (rtol \(rtol), atol \(atol))"
        }
        return nil
    }

    /// Max |a - b| / max(|b|) over the arrays (relative error of the whole tensor).
    public static func relativeError(_ a: [Float], _ b: [Float]) -> Float {
        let scale = b.map(abs).max() ?? 0
        let diff = zip(a, b).map { abs($0 - $1) }.max() ?? 0
        return scale == 0 ? diff : diff / scale
    }
}
