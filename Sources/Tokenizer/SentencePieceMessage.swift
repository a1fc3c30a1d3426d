/// SentencePiece's own words about a failure, kept as a `TokenizerError`'s cause.
public struct SentencePieceMessage: Error, CustomStringConvertible {
    public let text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}
