import Foundation

/// Builds a safetensors file byte-compatible with the Python `safetensors` library.
///
/// Layout as the reference `prepare`/`serialize`: tensors sorted by dtype (the reference enum order,
/// descending, so 8-byte types come first and every tensor stays aligned) then by name (bytewise);
/// contiguous offsets; compact JSON with `__metadata__` first; the header padded with spaces to a
/// multiple of 8. One difference: the reference keeps `__metadata__` in a hash map, so its key order
/// is random when there are two or more keys; here they are sorted. With at most one metadata key the
/// bytes are identical to `safetensors.torch.save_file`.
public struct SafetensorsWriter {
    public struct Entry: Sendable {
        public let name: String
        public let dtype: SafetensorsDType
        public let shape: [Int]
        /// Little-endian element bytes, row-major.
        public let bytes: [UInt8]

        public init(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.bytes = bytes
        }
    }

    public private(set) var entries: [Entry] = []
    /// Written as `__metadata__` when not nil (an empty map is written as `{}`, as Python does).
    public var metadata: [String: String]?
    private var names: Set<String> = []

    public init(metadata: [String: String]? = nil) {
        self.metadata = metadata
    }

    /// Writes `tensors` to `url` in one call.
    public static func write(tensors: [Entry], metadata: [String: String]? = nil, to url: URL) throws {
        var writer = SafetensorsWriter(metadata: metadata)
        for entry in tensors { try writer.add(entry) }
        try writer.write(to: url)
    }

    public mutating func add(_ entry: Entry) throws {
        let label = "<writer>"
        guard entry.name != "__metadata__" else {
            throw SafetensorsError(.invalidName, "'__metadata__' is reserved", path: label, tensor: entry.name)
        }
        guard !names.contains(entry.name) else {
            throw SafetensorsError(.invalidName, "added twice", path: label, tensor: entry.name)
        }
        var elements = 1
        for dimension in entry.shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else {
                throw SafetensorsError(.invalidShape, "invalid shape \(entry.shape)", path: label, tensor: entry.name)
            }
            elements = product
        }
        guard let expected = entry.dtype.byteCount(elements: elements), expected == entry.bytes.count else {
            throw SafetensorsError(.invalidShape, "shape \(entry.shape) of \(entry.dtype) does not match \(entry.bytes.count) bytes", path: label, tensor: entry.name)
        }
        names.insert(entry.name)
        entries.append(entry)
    }

    public mutating func add(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        try add(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// Stores Float values as F32, or rounded (to nearest even) to F16 or BF16.
    public mutating func add(name: String, floats: [Float], shape: [Int], as dtype: SafetensorsDType = .f32) throws {
        let bytes: [UInt8]
        switch dtype {
        case .f32: bytes = Self.littleEndianBytes(floats.map(\.bitPattern))
        case .f16: bytes = Self.littleEndianBytes(floats.map(HalfPrecision.f16Bits))
        case .bf16: bytes = Self.littleEndianBytes(floats.map(HalfPrecision.bf16Bits))
        default:
            throw SafetensorsError(.unsupportedDType, "cannot store Float values as \(dtype)", path: "<writer>", tensor: name)
        }
        try add(name: name, dtype: dtype, shape: shape, bytes: bytes)
    }

    public mutating func add(name: String, int64s: [Int64], shape: [Int]) throws {
        try add(name: name, dtype: .i64, shape: shape, bytes: Self.littleEndianBytes(int64s))
    }

    public mutating func add(name: String, int32s: [Int32], shape: [Int]) throws {
        try add(name: name, dtype: .i32, shape: shape, bytes: Self.littleEndianBytes(int32s))
    }

    /// The complete file contents.
    public func serialized() -> [UInt8] {
        let ordered = entries.sorted { a, b in
            if a.dtype != b.dtype { return a.dtype.serializationRank > b.dtype.serializationRank }
            // The reference compares Rust Strings, i.e. UTF-8 bytes (Swift's String < does not).
            return a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        var json = "{"
        var first = true
        if let metadata {
            json += "\"__metadata__\":{"
            for (i, key) in metadata.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
                if i > 0 { json += "," }
                json += SafetensorsJSON.quoted(key) + ":" + SafetensorsJSON.quoted(metadata[key] ?? "")
            }
            json += "}"
            first = false
        }
        var offset = 0
        for entry in ordered {
            if !first { json += "," }
            first = false
            let shape = entry.shape.map(String.init).joined(separator: ",")
            json += SafetensorsJSON.quoted(entry.name)
                + ":{\"dtype\":\"\(entry.dtype.name)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + entry.bytes.count)]}"
            offset += entry.bytes.count
        }
        json += "}"
        var header = Array(json.utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for entry in ordered { out.append(contentsOf: entry.bytes) }
        return out
    }

    /// Writes atomically (a temporary file renamed into place), so readers never see half a file.
    public func write(to url: URL) throws {
        do {
            try Data(serialized()).write(to: url, options: .atomic)
        } catch {
            throw SafetensorsError(.io, "cannot write: \(error.localizedDescription)", path: url.path, cause: error)
        }
    }

    static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * MemoryLayout<T>.size)
        out.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                raw.storeBytes(of: value.littleEndian, toByteOffset: i * MemoryLayout<T>.size, as: T.self)
            }
        }
        return out
    }
}
