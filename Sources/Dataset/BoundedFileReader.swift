import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole file that comes from outside (an image, `dataset.json`) only once it is known to be a
/// regular file of at most `limit` bytes: reading a device or a huge file whole would fill memory.
/// Messages do not name the file; callers add its path.
enum BoundedFileReader {
    /// `refusal` is the error code for a file that exists but is not a regular file or is too large.
    static func read(_ url: URL, limit: Int, refusal: DatasetError.Code) throws -> Data {
        var status = stat()
        guard stat(url.path, &status) == 0 else {
            throw DatasetError(.io, String(cString: strerror(errno)))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw DatasetError(refusal, "not a regular file")
        }
        guard status.st_size <= limit else {
            throw DatasetError(refusal, "the file is \(status.st_size) bytes, more than the limit of \(limit) bytes")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw DatasetError(.io, error.localizedDescription)
        }
    }
}
