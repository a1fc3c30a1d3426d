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
