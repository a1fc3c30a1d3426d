/// A safetensors file that cannot be opened, read or written.
///
/// The message names the file and, where there is one, the tensor, so that a user holding a
/// broken checkpoint knows which file and which entry to look at.
public struct SafetensorsError: Error, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// open/fstat/mmap/write failed.
        case io
        /// Fewer than 8 bytes, or a header length beyond the file or above the 100 MB limit.
        case invalidHeaderLength
        /// The header is not UTF-8 JSON of the expected form.
        case invalidHeader
        /// A dtype name that is not part of the format.
        case unknownDType
        /// A dtype of the format that this engine does not read (e.g. F64).
        case unsupportedDType
        /// Shape and byte size disagree, or a dimension is negative or overflows.
        case invalidShape
        /// Offsets out of order, overlapping, leaving gaps, or past the end of the data.
        case invalidOffsets
        /// The data section is shorter or longer than the offsets say (truncated file).
        case incompleteBuffer
        case tensorNotFound
        /// A float tensor holds NaN or an infinity (`copyFiniteFloats`).
        case nonFiniteValue
        /// Writer: two tensors with the same name, or a reserved name.
        case invalidName
    }

    public let code: Code
    public let message: String
    /// The file path (or a label for in-memory buffers).
    public let path: String
    /// The tensor the problem is about, if any.
    public let tensor: String?
    /// The underlying error, e.g. the JSON decoder's.
    public let cause: Error?

    public init(_ code: Code, _ message: String, path: String, tensor: String? = nil, cause: Error? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.tensor = tensor
        self.cause = cause
    }

    public var description: String {
        var text = "safetensors \(path)"
        if let tensor { text += ", tensor '\(tensor)'" }
        text += ": \(message)"
        return text
    }
}
