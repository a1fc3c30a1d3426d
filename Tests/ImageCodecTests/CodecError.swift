import ImageCodec

/// The error `body` throws, as an ImageCodecError (nil if it does not throw one).
func codecError(_ body: () throws -> Void) -> ImageCodecError? {
    do {
        try body()
        return nil
    } catch {
        return error as? ImageCodecError
    }
}
