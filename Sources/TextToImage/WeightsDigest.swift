import Crypto
import Foundation

/// SHA-256 of weights files, read in 1 MiB chunks: what identifies a model's weights, in the
/// training caches' keys and in the metadata of every image a worker renders.
public enum WeightsDigest {
    /// Lowercase hex SHA-256 over the files' bytes, one after the other; throws
    /// `TextToImageError(.invalidModel)` naming the first file that cannot be read.
    public static func sha256Hex(of files: [URL]) throws -> String {
        var hasher = SHA256()
        for url in files {
            guard let handle = FileHandle(forReadingAtPath: url.path) else {
                throw TextToImageError(.invalidModel, "cannot read \(url.path) to hash the weights")
            }
            defer { try? handle.close() }
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
