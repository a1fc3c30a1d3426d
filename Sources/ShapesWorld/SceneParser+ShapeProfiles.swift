extension SceneParser {
    /// The shape whose exact row-width profile (width of the shape at each row, as a fraction of its box)
    /// is closest in squared error to the measured one. The profiles differ a lot: square flat, circle
    /// rounded, triangle growing linearly downwards, diamond peaked in the middle, cross narrow-wide-narrow.
    /// `rowWidths` are coverage sums per row divided by the box width. The error is the mean squared
    /// difference per row, so fits over boxes of different heights compare fairly.
    static func classifyShape(rowWidths: [Double]) -> (shape: ShapeKind, error: Double) {
        let rows = rowWidths.count
        var best = ShapeKind.square, bestError = Double.infinity
        for shape in ShapeKind.allCases {
            var error = 0.0
            for (row, measured) in rowWidths.enumerated() {
                let v = (Double(row) + 0.5) / Double(rows)
                let difference = measured - expectedWidth(of: shape, at: v)
                error += difference * difference
            }
            if error < bestError {
                bestError = error
                best = shape
            }
        }
        return (best, bestError / Double(max(1, rows)))
    }

    /// Width of `shape` at height `v` (0 = top, 1 = bottom) of its unit box, matching `ReferenceRenderer`.
    static func expectedWidth(of shape: ShapeKind, at v: Double) -> Double {
        let dv = v - 0.5
        switch shape {
        case .square: return 1
        case .circle: return 2 * (max(0, 0.25 - dv * dv)).squareRoot()
        case .triangle: return v
        case .diamond: return max(0, 1 - 2 * abs(dv))
        case .cross: return abs(dv) <= 1.0 / 6.0 ? 1 : 1.0 / 3.0
        }
    }
}
