/// The one error type of Dataset: what failed, in one line, naming the file (and line) at fault.
public struct DatasetError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Code: String, Sendable {
        case invalidArgument  // e.g. a batch size of 0, an output buffer of the wrong size
        case io               // a file or folder that cannot be read or written
        case malformedIndex   // captions.jsonl or dataset.json that does not parse or is inconsistent
        case missingImage     // a captions.jsonl entry whose image file does not exist
        case unreadableImage  // an image that exists but does not decode (corrupt, unsupported format)
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
