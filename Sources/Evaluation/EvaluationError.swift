/// A failure of an evaluation run: bad settings, or an image source that broke its contract.
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
