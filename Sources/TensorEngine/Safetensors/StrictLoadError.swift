/// A checkpoint that does not match the parameters a model expects, reported in one error.
///
/// All problems are listed at once, by name, so that fixing a key mapping takes one run, e.g.
/// `missing: encoder.layer.0.attention.q.weight; unused: foo; mis-shaped: bar expected [4, 8] got [8, 4]`.
public struct StrictLoadError: Error, CustomStringConvertible, Equatable {
    public struct MisShaped: Equatable, Sendable {
        public let name: String
        public let expected: [Int]
        public let found: [Int]
    }

    /// The checkpoint (a file path or a label).
    public let source: String
    /// Expected but absent, sorted.
    public let missing: [String]
    /// Present but not expected, sorted.
    public let unused: [String]
    /// Present with another shape, sorted by name.
    public let misShaped: [MisShaped]

    /// Compares expected with found shapes; returns nil when they match exactly.
    /// `ignoringUnused` names checkpoint entries that may be present without being used
    /// (e.g. DINOv2's `embeddings.mask_token`, which inference never reads).
    public static func check(expected: [String: [Int]], found: [String: [Int]],
                             ignoringUnused: Set<String> = [], source: String) -> StrictLoadError? {
        var missing: [String] = []
        var misShaped: [MisShaped] = []
        for (name, shape) in expected {
            guard let got = found[name] else { missing.append(name); continue }
            if got != shape { misShaped.append(MisShaped(name: name, expected: shape, found: got)) }
        }
        let unused = found.keys.filter { expected[$0] == nil && !ignoringUnused.contains($0) }
        if missing.isEmpty && unused.isEmpty && misShaped.isEmpty { return nil }
        return StrictLoadError(source: source, missing: missing.sorted(), unused: unused.sorted(),
                               misShaped: misShaped.sorted { $0.name < $1.name })
    }

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing: " + missing.joined(separator: ", ")) }
        if !unused.isEmpty { parts.append("unused: " + unused.joined(separator: ", ")) }
        if !misShaped.isEmpty {
            parts.append("mis-shaped: " + misShaped.map { "\($0.name) expected \($0.expected) got \($0.found)" }.joined(separator: ", "))
        }
        return "\(source): " + parts.joined(separator: "; ")
    }
}
