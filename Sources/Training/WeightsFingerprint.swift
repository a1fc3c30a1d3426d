import Digest
import Foundation

/// What identifies a weights file in a cache key: the SHA-256 of its bytes. Unlike its path or
/// modification time, this survives copying a model folder (a copied folder reuses its caches) and
/// changes with every retraining. Hashing a few MB takes milliseconds.
enum WeightsFingerprint {
    /// `sha256:<hex>` of the file, or `missing:<file name>` when it cannot be read.
    static func of(_ url: URL) -> String {
        guard let hex = try? SHA256Hex.of(files: [url]) else { return "missing:\(url.lastPathComponent)" }
        return "sha256:" + hex
    }
}
