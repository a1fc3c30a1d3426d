import ModuleErrors

/// The one error type of ShapesWorld: a clear one-line message naming the problem.
public typealias ShapesWorldError = ModuleError<ShapesWorldErrorCode>

/// The ways ShapesWorld fails.
public enum ShapesWorldErrorCode: String, ModuleErrorCode {
    case grammarFile      // prompts/ grammar missing or malformed
    case unknownWord      // a caption word that is not in the grammar
    case syntax           // known words in an order the grammar does not allow
    case impossibleScene  // too many objects, two objects in one cell, relations that cannot hold
    case rendering        // e.g. an invalid image
}
