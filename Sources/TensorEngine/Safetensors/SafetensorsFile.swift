#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

#if _endian(big)
#error("safetensors data is little-endian; the readers here copy it without byte swapping")
#endif

/// A safetensors file, memory-mapped read-only and validated on open.
///
/// Owns the mapping and unmaps it in `deinit`; tensor data is read straight from the mapping, so
/// opening a large checkpoint costs only its header. Typed access (`floats`, `int64s`, ...) copies
/// and converts; `withUnsafeBytes` gives the raw little-endian bytes without copying.
public final class SafetensorsFile: @unchecked Sendable {
    // @unchecked Sendable: the mapping is PROT_READ and never changes after init.

    public let url: URL
    /// The `__metadata__` map, or nil when the file has none.
    public let metadata: [String: String]?
    /// Tensor names in data (file) order.
    public let names: [String]
    /// All tensors in data order.
    public let tensors: [SafetensorsTensorInfo]

    private let base: UnsafeMutableRawPointer
    private let length: Int
    private let dataStart: Int
    private let index: [String: Int]

    public init(url: URL) throws {
        self.url = url
        let path = url.path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw SafetensorsError(.io, "cannot open: \(String(cString: strerror(errno)))", path: path)
        }
        defer { close(fd) }  // the mapping outlives the descriptor
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SafetensorsError(.io, "cannot stat: \(String(cString: strerror(errno)))", path: path)
        }
        let size = Int(info.st_size)
        guard size >= 8 else {
            throw SafetensorsError(.invalidHeaderLength, "file has \(size) bytes, fewer than the 8-byte header length", path: path)
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw SafetensorsError(.io, "cannot mmap \(size) bytes: \(String(cString: strerror(errno)))", path: path)
        }
        let header: SafetensorsHeader
        do {
            header = try SafetensorsHeader(buffer: UnsafeRawBufferPointer(start: mapped, count: size), path: path)
        } catch {
            munmap(mapped, size)
            throw error
        }
        base = mapped
        length = size
        dataStart = header.dataStart
        metadata = header.metadata
        tensors = header.tensors
        names = header.tensors.map(\.name)
        var index: [String: Int] = [:]
        for (position, tensor) in header.tensors.enumerated() { index[tensor.name] = position }
        self.index = index
    }

    deinit {
        munmap(base, length)
    }

    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// Dtype, shape and offsets of one tensor.
    public func info(_ name: String) throws -> SafetensorsTensorInfo {
        guard let position = index[name] else {
            throw SafetensorsError(.tensorNotFound, "no such tensor (the file has \(names.count))", path: url.path, tensor: name)
        }
        return tensors[position]
    }

    /// Shapes by name, e.g. for a strict state-dict check.
    public var shapes: [String: [Int]] {
        Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.shape) })
    }

    /// The raw little-endian bytes of one tensor, without copying. The pointer is valid only
    /// inside `body` (the mapping belongs to this object); it may be unaligned for the dtype.
    public func withUnsafeBytes<R>(_ name: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let tensor = try info(name)
        return try withExtendedLifetime(self) {
            try body(bytes(of: tensor))
        }
    }

    func bytes(of tensor: SafetensorsTensorInfo) -> UnsafeRawBufferPointer {
        guard tensor.byteCount > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + dataStart + tensor.dataOffsets.lowerBound, count: tensor.byteCount)
    }
}
