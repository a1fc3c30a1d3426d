/// A fixed C buffer that a codec shim (CJPEG, CPNG) fills with a NUL-terminated error message.
struct MessageBuffer {
    private var bytes = [CChar](repeating: 0, count: 256)

    mutating func withPointer<Result>(_ body: (UnsafeMutablePointer<CChar>, Int) -> Result) -> Result {
        bytes.withUnsafeMutableBufferPointer { buffer in
            // Non-empty by construction, so baseAddress exists.
            body(buffer.baseAddress!, buffer.count)
        }
    }

    var text: String {
        let terminated = bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let text = String(decoding: terminated, as: UTF8.self)
        return text.isEmpty ? "unknown codec error" : text
    }
}
