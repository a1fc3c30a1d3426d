/// The cause of an `incompleteModel` error: the files a model folder lacks, so a caller can list
/// or fetch them without reading the message.
public struct MissingModelParts: Error, CustomStringConvertible {
    /// Paths relative to the model folder; `.` when the folder itself is missing.
    public let paths: [String]

    public var description: String { "missing \(paths.joined(separator: ", "))" }
}
