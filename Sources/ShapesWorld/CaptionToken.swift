/// One word (or comma) of a caption with its 1-based character position in the original text.
struct CaptionToken: Equatable, Sendable {
    var text: String
    var position: Int
}
