import ModuleErrors

/// The one error type of the Tokenizer module: a code to branch on, a one-line message for people,
/// and SentencePiece's own words when the failure came from the library.
public typealias TokenizerError = ModuleError<TokenizerErrorCode>

/// The ways the Tokenizer module fails.
public enum TokenizerErrorCode: String, ModuleErrorCode {
    case modelNotFound     // no file at the model path
    case invalidModel      // the file or bytes are not a SentencePiece model
    case invalidArgument   // a bad maximum length, id or training option
    case tooLong           // the text has more tokens than the maximum length allows
    case corpus            // the training corpus is missing, unreadable or empty
    case vocabularySize    // the corpus cannot yield the requested vocabulary size
    case output            // the model cannot be written where asked
    case library           // SentencePiece failed in a way we did not anticipate
}

extension ModuleError where Code == TokenizerErrorCode {
    /// SentencePiece reports a failure as text: that text is kept as the cause.
    public init(_ code: Code, _ message: String, cause: String?) {
        self.init(code, message, cause: cause.map(SentencePieceMessage.init))
    }
}
