/// An object size: its canonical name and the side of its bounding box in pixels.
public struct ObjectSize: Hashable, Codable, Sendable, CustomStringConvertible {
    public var name: String
    public var pixels: Int

    public init(name: String, pixels: Int) {
        self.name = name
        self.pixels = pixels
    }

    public var description: String { name }
}
