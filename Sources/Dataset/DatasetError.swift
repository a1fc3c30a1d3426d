import ModuleErrors

/// The one error type of Dataset: what failed, in one line, naming the file (and line) at fault.
public typealias DatasetError = ModuleError<DatasetErrorCode>

/// The ways Dataset fails.
public enum DatasetErrorCode: String, ModuleErrorCode {
    case invalidArgument  // e.g. a batch size of 0, an output buffer of the wrong size
    case io               // a file or folder that cannot be read or written
    case malformedIndex   // captions.jsonl or dataset.json that does not parse or is inconsistent
    case missingImage     // a captions.jsonl entry whose image file does not exist
    case unreadableImage  // an image that exists but does not decode (corrupt, unsupported format)
}
