import Crypto
import Foundation

/// Lowercase hex SHA-256: what identifies an image in the queue and a model's weights in the
/// training caches' keys and in every rendered image's metadata.
public enum SHA256Hex {
    /// The digest of `data`.
    public static func of(_ data: Data) -> String {
        Hex.encode(SHA256.hash(data: data))
    }

    /// The digest of the files' bytes, one after the other, read in 1 MiB chunks so a weights file
    /// of gigabytes is never held in memory. Throws `DigestError` naming the first file that cannot
    /// be read.
    public static func of(files: [URL]) throws -> String {
        var hasher = SHA256()
        for url in files {
            guard let handle = FileHandle(forReadingAtPath: url.path) else {
                throw DigestError(.unreadableFile, "cannot read \(url.path) to hash it")
            }
            defer { try? handle.close() }
            do {
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
            } catch {
                throw DigestError(.unreadableFile, "cannot read \(url.path) to hash it: \(error)", cause: error)
            }
        }
        return Hex.encode(hasher.finalize())
    }
}
