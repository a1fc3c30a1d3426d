import ImageCodec

/// Draws scenes exactly: palette colours in object interiors and background, 4x4-supersampled coverage
/// on edges, deterministic (integer arithmetic only in the output).
///
/// Geometry inside an object's bounding box, with (u, v) in [0, 1] (v down):
/// circle = inscribed disc; square = the box; triangle = apex (0.5, 0), base along v = 1;
/// diamond = the square rotated 45 degrees, inscribed; cross = plus sign with arms 1/3 of the box wide.
public enum ReferenceRenderer {
    /// Samples per pixel along each axis.
    static let supersampling = 4

    public static func render(_ scene: Scene) -> RGBImage {
        var image = RGBImage(width: scene.imageSize, height: scene.imageSize, filledWith: scene.background.rgb)
        image.withUnsafeMutablePixels { pixels in
            for object in scene.objects {
                draw(object, box: scene.boundingBox(of: object), size: scene.imageSize, into: pixels)
            }
        }
        return image
    }

    /// Whether the point (u, v) of the unit box lies inside `shape`.
    @inline(__always)
    static func contains(_ shape: ShapeKind, u: Float, v: Float) -> Bool {
        let du = u - 0.5, dv = v - 0.5
        switch shape {
        case .square: return true
        case .circle: return du * du + dv * dv <= 0.25
        case .triangle: return abs(du) <= v * 0.5
        case .diamond: return abs(du) + abs(dv) <= 0.5
        case .cross: return abs(du) <= 1.0 / 6.0 || abs(dv) <= 1.0 / 6.0
        }
    }

    private static func draw(_ object: SceneObject, box: (x0: Int, y0: Int, side: Int), size: Int,
                             into pixels: UnsafeMutableBufferPointer<UInt8>) {
        let samples = supersampling, total = samples * samples
        let side = Float(box.side), step = 1 / Float(samples)
        let color = (Int(object.color.rgb.red), Int(object.color.rgb.green), Int(object.color.rgb.blue))
        for y in max(0, box.y0)..<min(size, box.y0 + box.side) {
            for x in max(0, box.x0)..<min(size, box.x0 + box.side) {
                var covered = 0
                for sy in 0..<samples {
                    let v = (Float(y - box.y0) + (Float(sy) + 0.5) * step) / side
                    for sx in 0..<samples {
                        let u = (Float(x - box.x0) + (Float(sx) + 0.5) * step) / side
                        if contains(object.shape, u: u, v: v) { covered += 1 }
                    }
                }
                guard covered > 0 else { continue }
                let index = (y * size + x) * 3
                if covered == total {
                    pixels[index] = UInt8(color.0)
                    pixels[index + 1] = UInt8(color.1)
                    pixels[index + 2] = UInt8(color.2)
                } else {
                    // Blend over what is there (the background: objects never overlap), rounding to nearest.
                    let rest = total - covered
                    pixels[index] = UInt8((color.0 * covered + Int(pixels[index]) * rest + total / 2) / total)
                    pixels[index + 1] = UInt8((color.1 * covered + Int(pixels[index + 1]) * rest + total / 2) / total)
                    pixels[index + 2] = UInt8((color.2 * covered + Int(pixels[index + 2]) * rest + total / 2) / total)
                }
            }
        }
    }
}
