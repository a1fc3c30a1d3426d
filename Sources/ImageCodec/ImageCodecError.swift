/// The one error type of ImageCodec: what failed, in one line.
public struct ImageCodecError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Code: String, Sendable {
        case invalidImage          // an RGBImage whose pixel count does not match its size
        case invalidArgument       // e.g. quality out of 1...100, comment too long
        case corruptData           // not a JPEG, truncated or damaged
        case unsupportedColorSpace // e.g. CMYK
        case outOfMemory
        case tooLarge              // the header's width * height is over the decoding limit
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "image codec error (\(code.rawValue)): \(message)" }
}
