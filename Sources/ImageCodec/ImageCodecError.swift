import ModuleErrors

/// The one error type of ImageCodec: what failed, in one line.
public typealias ImageCodecError = ModuleError<ImageCodecErrorCode>

/// The ways ImageCodec fails.
public enum ImageCodecErrorCode: String, ModuleErrorCode {
    case invalidImage          // an RGBImage whose pixel count does not match its size
    case invalidArgument       // e.g. quality out of 1...100, comment too long
    case corruptData           // not a JPEG, truncated or damaged
    case unsupportedColorSpace // e.g. CMYK
    case outOfMemory
    case tooLarge              // the header's width * height is over the decoding limit

    public func describe(_ message: String) -> String { "image codec error (\(rawValue)): \(message)" }
}
