/// Strict state-dict checking against a model's parameter list.
extension SafetensorsFile {
    /// Throws `StrictLoadError` unless the file holds exactly the `expected` names with the
    /// expected shapes (apart from `ignoringUnused`). Checking before reading any data means a
    /// wrong checkpoint fails fast and reports every problem at once.
    public func checkStateDict(expected: [String: [Int]], ignoringUnused: Set<String> = []) throws {
        if let error = StrictLoadError.check(expected: expected, found: shapes,
                                             ignoringUnused: ignoringUnused, source: url.path) {
            throw error
        }
    }
}
