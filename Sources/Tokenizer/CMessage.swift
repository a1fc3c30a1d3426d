/// A caller-owned message buffer for the shim's error reports.
struct CMessage {
    private var bytes = [CChar](repeating: 0, count: 1024)

    /// Passes the buffer and its capacity to a shim call.
    mutating func withBuffer<R>(_ body: (UnsafeMutablePointer<CChar>, Int) throws -> R) rethrows -> R {
        try bytes.withUnsafeMutableBufferPointer { buffer in
            // The array is never empty, so its base address exists.
            try body(buffer.baseAddress!, buffer.count)
        }
    }

    /// The NUL-terminated text the shim wrote (empty when it wrote none).
    var text: String {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: bytes[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
