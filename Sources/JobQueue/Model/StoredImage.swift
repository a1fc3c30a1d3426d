import Digest
import Foundation

/// One stored image with its bytes, as `fetch` writes it.
public struct StoredImage: Sendable, Equatable {
    public var info: JobImageInfo
    public var jpeg: Data

    public init(info: JobImageInfo, jpeg: Data) {
        self.info = info
        self.jpeg = jpeg
    }
}

extension StoredImage {
    /// The image as `images` hands it out: its bytes must still hash to the sha256 stored with
    /// it, or it is refused, naming the job and image, as altered or damaged.
    static func verified(_ info: JobImageInfo, jpeg: Data, jobID: String) throws -> StoredImage {
        let digest = SHA256Hex.of(jpeg)
        guard digest == info.sha256 else {
            throw QueueError(.corrupt,
                "image \(info.index) of job \(jobID) does not match its stored sha256 (stored \(info.sha256.prefix(16))…, "
                + "bytes hash to \(digest.prefix(16))…): the database was altered or damaged")
        }
        return StoredImage(info: info, jpeg: jpeg)
    }
}
