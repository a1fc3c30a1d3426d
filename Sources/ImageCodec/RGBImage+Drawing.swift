extension RGBImage {
    /// An image whose pixel (x, y) is `color(x, y)`: test patterns and procedural fills.
    public init(width: Int, height: Int, color: (_ x: Int, _ y: Int) -> RGBColor) {
        self.init(width: width, height: height, filledWith: RGBColor(0, 0, 0))
        withUnsafeMutablePixels { pixels in
            for y in 0..<height {
                for x in 0..<width {
                    let value = color(x, y), index = (y * width + x) * 3
                    pixels[index] = value.red
                    pixels[index + 1] = value.green
                    pixels[index + 2] = value.blue
                }
            }
        }
    }
}
