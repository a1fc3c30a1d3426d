/// The one error type of ShapesWorld: a clear one-line message naming the problem.
public struct ShapesWorldError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Code: String, Sendable {
        case grammarFile      // prompts/ grammar missing or malformed
        case unknownWord      // a caption word that is not in the grammar
        case syntax           // known words in an order the grammar does not allow
        case impossibleScene  // too many objects, two objects in one cell, relations that cannot hold
        case rendering        // e.g. an invalid image
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
