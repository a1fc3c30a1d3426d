import ImageCodec

/// A palette entry (object colour or background): its canonical name and exact RGB.
public struct NamedColor: Hashable, Codable, Sendable, CustomStringConvertible {
    public var name: String
    public var rgb: RGBColor

    public init(name: String, rgb: RGBColor) {
        self.name = name
        self.rgb = rgb
    }

    public var description: String { name }
}
