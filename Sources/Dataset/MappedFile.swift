import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory map of a whole file, unmapped in `deinit`. Image shards are mapped rather than
/// read so that opening a 1 GB dataset is instant and the page cache is shared between processes.
final class MappedFile: @unchecked Sendable {  // immutable after init
    let path: String
    let count: Int
    private let base: UnsafeMutableRawPointer?

    init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw DatasetError(.io, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }  // the mapping stays valid after the descriptor is closed
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw DatasetError(.io, "cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        // A directory, device or pipe has no meaningful size to check a manifest against.
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw DatasetError(.io, "cannot map \(path): not a regular file")
        }
        self.path = path
        self.count = Int(status.st_size)
        guard count > 0 else {
            base = nil  // mmap refuses zero lengths
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw DatasetError(.io, "cannot map \(path): \(String(cString: strerror(errno)))")
        }
        base = mapped
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// The bytes; valid as long as this object lives.
    var bytes: UnsafeBufferPointer<UInt8> {
        guard let base else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: count)
    }
}
