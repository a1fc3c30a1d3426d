/// A (height, width) pair that Hugging Face configs write either as one integer (square) or as a
/// two-element list `[height, width]` (`image_size`, `patch_size`).
public struct SpatialSize: Codable, Equatable, Sendable {
    public var height: Int
    public var width: Int

    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    public init(square side: Int) {
        self.init(height: side, width: side)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let side = try? container.decode(Int.self) {
            self.init(square: side)
            return
        }
        let pair = try container.decode([Int].self)
        guard pair.count == 2 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected an integer or [height, width], got \(pair)")
        }
        self.init(height: pair[0], width: pair[1])
    }

    /// Written back as an integer when square, as Hugging Face does.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if height == width { try container.encode(height) } else { try container.encode([height, width]) }
    }
}
